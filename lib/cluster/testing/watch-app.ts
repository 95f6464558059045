/**
 * Stands in for the app in tests: a process that starts one watcher from a request (JSON in argv)
 * and stays up until killed, as the server does. `tsx lib/cluster/testing/watch-app.ts WS REQUEST`.
 */
import { launcherSettings } from "@/lib/launch/launcher";
import { Watchers } from "../watchers";

const [workspace, request] = process.argv.slice(2);
const watcher = new Watchers(launcherSettings(workspace)).start(JSON.parse(request));
process.stdout.write(`${watcher.id}\n`);
setInterval(() => {}, 60_000);
