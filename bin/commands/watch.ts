import { Option, type Command } from "commander";
import type { CheckpointPoint } from "@/lib/cluster/checkpoint";
import type { WatchEntry } from "@/lib/cluster/watch";
import { positiveInt, type Register } from "./options";
import { evaluationOptions, servedBy, toConfig, type RunFlags } from "./run-options";
import { print, printError } from "../output";

interface WatchFlags extends Omit<RunFlags, "checkpoint" | "step" | "series"> {
  pattern: string;
  readyFile?: string;
  interval: number;
}

/** `evalbench watch DIR` */
export const registerWatch: Register = (program: Command) => {
  evaluationOptions(program.command("watch"))
    .description("evaluate each new checkpoint folder in DIR as it appears, exactly once (its state survives restarts), serving each with --serve or the harness preset's serve")
    .argument("<dir>", "the folder the trainer writes its checkpoint folders into")
    .option("--pattern <glob>", "checkpoint folder names: * matches anything, {step} the step's digits (default: the step is the name's last number)", "*")
    .option("--ready-file <name>", "a file the trainer writes last: a folder counts once it holds it (without it, once its listing stops changing between two scans)")
    .addOption(new Option("--interval <s>", "seconds between scans").argParser(positiveInt).default(2))
    .action(async (dir: string, flags: WatchFlags) => {
      const [{ freePort }, { prepare }, { forCheckpoint }, { submitSeries }, { runArgs }, watch, { spawn }, fs, { checkWorkspaceReachable }] = await Promise.all([
        import("@/lib/cluster/serve"),
        import("@/lib/runner/launch"),
        import("@/lib/cluster/checkpoint"),
        import("@/lib/cluster/submit"),
        import("@/lib/launch/request"),
        import("@/lib/cluster/watch"),
        import("node:child_process"),
        import("node:fs"),
        import("@/lib/workspace/s3/reachable"),
      ]);
      const served = await servedBy(flags);
      if (!served) throw new Error(`evalbench watch needs a model server per checkpoint: --serve 'CMD {checkpoint} --port {port}', or a harness preset with serve (harness ${flags.harness} has none)`);
      const config = await toConfig({ ...flags, checkpoint: undefined, step: undefined }, { ...served, port: await freePort() });
      await prepare(config);
      const options = { dir, pattern: flags.pattern, readyFile: flags.readyFile ?? null, workspace: config.workspace };
      watch.scan(options);
      await checkWorkspaceReachable(config.workspace);
      const file = watch.statePath(config.workspace, dir, flags.pattern);
      const cli = { node: process.execPath, script: fs.realpathSync(process.argv[1]) };
      const slurm = { partition: flags.partition ?? null, gres: flags.gres ?? null, time: flags.time ?? null, account: flags.account ?? null, extra: flags.slurmOpt };

      const release = await watch.lockState(file, dir);
      process.once("exit", release);

      // Stopping (a signal, or the app that started this watcher going away): no new checkpoint is
      // taken, and a run going on here is stopped too, keeping what it recorded; its checkpoint
      // stays `running` in the state, so the next start resumes it.
      let stopped = false;
      let wake = () => {};
      let current: ReturnType<typeof spawn> | null = null;
      const stop = () => {
        stopped = true;
        current?.kill("SIGTERM");
        wake();
      };
      for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, stop);
      if (process.send) {
        // started by the app: its IPC channel closing means the app stopped
        process.channel?.unref();
        process.once("disconnect", stop);
      }

      /** Here: one `evalbench run` child per checkpoint, in turn, so one failing does not stop the watcher. */
      const runHere = (args: string[]) =>
        new Promise<number | null>((resolve) => {
          const child = spawn(cli.node, [cli.script, ...args], { stdio: ["ignore", "inherit", "inherit"] });
          current = child;
          child.once("error", () => resolve(null));
          child.once("exit", (code) => resolve(code));
        }).finally(() => (current = null));
      const evaluate = async (points: CheckpointPoint[], entries: WatchEntry[], save: () => void, resume = false) => {
        if (flags.executor === "slurm") {
          const jobs = await submitSeries(config, points, slurm, cli);
          jobs.forEach((job, i) => Object.assign(entries[i], { status: "submitted", jobs: [job.id] }));
          save();
          for (const job of jobs) print(`${job.id}  queued  ${job.checkpoint} step ${job.step}  log ${job.log}`);
          return;
        }
        for (const [i, point] of points.entries()) {
          if (stopped) return; // left `submitting`: the next start evaluates it
          Object.assign(entries[i], { status: "running" });
          save();
          const code = await runHere(runArgs({ ...forCheckpoint(config, point), resume }));
          if (stopped && code !== 0) return; // stopped with the watcher: resumed by its next start
          Object.assign(entries[i], { status: code === 0 ? "done" : "failed", error: code === 0 ? null : `evalbench run exited with status ${code}; evalbench run ... --resume finishes it` });
          save();
        }
      };

      // what a watcher stopped mid-way left: local runs are resumed; a Slurm submission it cannot know about is reported
      const state = watch.readState(file, dir, flags.pattern);
      const unfinished = Object.entries(state.checkpoints).filter(([, e]) => e.status === "submitting" || e.status === "running");
      if (unfinished.length > 0) {
        if (flags.executor === "slurm") {
          for (const [folder, entry] of unfinished) {
            printError(`evalbench: note: the watcher stopped while submitting ${folder}; check squeue before submitting it again by hand`);
            entry.status = "submitted";
          }
          watch.writeState(file, state);
        } else {
          printError(`evalbench: note: resuming ${unfinished.length} checkpoint(s) the watcher was evaluating when it stopped`);
          await evaluate(unfinished.map(([folder, e]) => ({ checkpoint: folder, step: e.step, served_model: null })), unfinished.map(([, e]) => e), () => watch.writeState(file, state), true);
          watch.writeState(file, state);
        }
      }

      const seen = new Map<string, string>();
      const say = (line: string) => (line.startsWith("note:") ? printError(`evalbench: ${line}`) : print(line));
      print(`watching ${dir} for ${flags.pattern}${flags.readyFile ? ` holding ${flags.readyFile}` : ""} every ${flags.interval} s (state ${file})`);
      while (!stopped) {
        await watch.watchOnce(options, file, seen, { evaluate, say });
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, flags.interval * 1000);
        });
      }
    });
};
