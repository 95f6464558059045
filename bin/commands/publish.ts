import { resolveWorkspace } from "@/lib/workspace/paths";
import { WORKSPACE_HELP, type Register } from "./options";
import { print, printError } from "../output";

interface Options {
  workspace?: string;
  compare?: string[];
  series?: string;
  out?: string;
  to?: string;
  text: boolean;
  baseUrl?: string;
}

/** `evalbench publish` */
export const registerPublish: Register = (program) => {
  program
    .command("publish")
    .description("write a read-only viewer of runs (static files) to a folder or an S3 prefix; prints its link last")
    .argument("[runs...]", "run ids to publish")
    .option("-w, --workspace <dir>", WORKSPACE_HELP)
    .option("--compare <A B...>", "the comparison the link opens: candidate A, baseline B")
    .option("--series <view>", "a training-run series the link opens, with every checkpoint's run: the app's /series address or its parameters, e.g. 'line=MODEL&line=OTHER&task=gsm8k'")
    .option("--out <dir>", "a new folder to write the viewer into")
    .option("--to <s3url>", "s3://BUCKET/PREFIX to upload the viewer to (AWS environment, AWS_ENDPOINT_URL for MinIO, R2, any S3 API)")
    .option("--no-text", "leave prompts, responses, targets and transcripts out")
    .option("--base-url <url>", "where the folder will be served: makes the link absolute")
    .action(async (runs: string[], options: Options) => {
      const compare = options.compare;
      if (compare && compare.length !== 2) throw new Error(`--compare takes two runs, A (candidate) and B (baseline); got ${compare.length}`);
      if ((options.out === undefined) === (options.to === undefined)) throw new Error("say where to publish: --out DIR or --to s3://BUCKET/PREFIX (one of them)");
      if (options.baseUrl !== undefined && !/^https?:\/\//.test(options.baseUrl)) throw new Error(`--base-url ${options.baseUrl} is not an http(s) URL`);
      const { publish } = await import("@/lib/publish/publish");
      const started = performance.now();
      const { link, index } = await publish({
        workspace: resolveWorkspace(options.workspace),
        compare: compare ? { a: compare[0], b: compare[1] } : null,
        runs,
        series: options.series ?? null,
        to: (options.out ?? options.to)!,
        text: options.text,
        baseUrl: options.baseUrl ?? null,
      });
      printError(`evalbench: published ${index.runs.length} runs to ${options.out ?? options.to} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      print(link);
    });
};
