# moto's S3 server (`moto_server`) with one fix, so that it checks SigV4 signatures as AWS S3 does.
# moto recomputes a request's signature over werkzeug's re-quoted URL, which turns %2F and %2B back
# into / and +: every listing by prefix ("runs/") and every key with such characters would then be
# refused even with the right secret. AWS signs the URI as sent, so the check gets the raw one.
# Usage: python3 moto-server.py -H 127.0.0.1 -p PORT (moto_server's arguments).
import sys

from flask import request
from moto.iam import access_control
from moto.server import main

check_request = access_control.IAMRequestBase.__init__


def check_raw_uri(self, **request_fields):
    check_request(self, **{**request_fields, "path": request.environ.get("RAW_URI", request_fields["path"])})


access_control.IAMRequestBase.__init__ = check_raw_uri
sys.exit(main())
