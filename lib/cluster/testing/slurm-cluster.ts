import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** A real single-node Slurm cluster for the tests: its own slurm.conf, state and ports in a temp folder. */
export interface TestCluster {
  /** The slurm.conf every client command reads (exported as SLURM_CONF by `env`). */
  conf: string;
  dir: string;
  /** The one partition, the default. */
  partition: string;
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

const MUNGE_PID = "/run/munge/munged.pid";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function alive(pidFile: string): boolean {
  return fs.existsSync(pidFile) && running(Number(fs.readFileSync(pidFile, "utf8").trim()));
}

function need(command: string): void {
  try {
    execFileSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" });
  } catch {
    throw new Error(`Slurm cannot start: ${command} is missing; install it with 'apt-get install -y slurm-wlm munge' (scripts/test-all.sh does when run as root)`);
  }
}

/** munged as the munge user (it refuses root), once per machine: true when this call started it. */
async function startMunge(): Promise<boolean> {
  if (alive(MUNGE_PID)) return false;
  fs.mkdirSync("/run/munge", { recursive: true });
  await run("chown", ["munge:munge", "/run/munge", "/var/log/munge", "/var/lib/munge"]);
  await run("runuser", ["-u", "munge", "--", "munged"]);
  return true;
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | null>, log: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > end) {
      const tail = fs.existsSync(log) ? fs.readFileSync(log, "utf8").split("\n").slice(-8).join("\n") : "(no log)";
      throw new Error(`Slurm cannot start: ${what} within ${timeoutMs / 1000} s; last lines of ${log}:\n${tail}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}

/**
 * Starts slurmctld and slurmd (and munged when it is not running) as Debian's slurm-wlm needs them
 * without systemd (stack-notes section 7), waits for the node to be idle, and returns how to stop
 * them again. Throws, saying why, when Slurm cannot start: never a stand-in scheduler. `folder`
 * (emptied of earlier state) holds slurm.conf, state and logs; a temp folder by default.
 */
export async function startTestCluster(folder?: string): Promise<TestCluster> {
  for (const command of ["slurmctld", "slurmd", "sbatch", "squeue", "munged"]) need(command);
  // a fixed folder when a server started earlier reads its slurm.conf (the e2e app server's SLURM_CONF)
  const dir = folder ?? fs.mkdtempSync(path.join(os.tmpdir(), "evalbench-slurm-"));
  fs.rmSync(path.join(dir, "state"), { recursive: true, force: true });
  fs.rmSync(path.join(dir, "spool"), { recursive: true, force: true });
  const host = os.hostname();
  const [ctldPort, dPort] = [await freePort(), await freePort()];
  const partition = "debug";
  const conf = path.join(dir, "slurm.conf");
  for (const sub of ["state", "spool"]) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  fs.writeFileSync(
    conf,
    [
      "ClusterName=evalbench-test",
      `SlurmctldHost=${host}`,
      `SlurmctldPort=${ctldPort}`,
      `SlurmdPort=${dPort}`,
      "SlurmUser=root",
      `StateSaveLocation=${dir}/state`,
      `SlurmdSpoolDir=${dir}/spool`,
      `SlurmctldPidFile=${dir}/slurmctld.pid`,
      `SlurmdPidFile=${dir}/slurmd.pid`,
      `SlurmctldLogFile=${dir}/slurmctld.log`,
      `SlurmdLogFile=${dir}/slurmd.log`,
      "ProctrackType=proctrack/linuxproc",
      "TaskPlugin=task/none",
      "JobAcctGatherType=jobacct_gather/none",
      "SelectType=select/cons_tres",
      "SelectTypeParameters=CR_Core",
      "ReturnToService=2",
      `NodeName=${host} CPUs=${os.cpus().length} RealMemory=2000 State=UNKNOWN`,
      `PartitionName=${partition} Nodes=${host} Default=YES MaxTime=INFINITE State=UP`,
      "",
    ].join("\n"),
  );
  const env = { ...process.env, SLURM_CONF: conf };
  const startedMunge = await startMunge();
  await run("slurmctld", ["-f", conf], { env });
  await run("slurmd", ["-f", conf], { env });
  const stop = async () => {
    const pids = ["slurmd.pid", "slurmctld.pid"].map((name) => path.join(dir, name)).filter(alive).map((file) => Number(fs.readFileSync(file, "utf8").trim()));
    if (startedMunge && alive(MUNGE_PID)) pids.push(Number(fs.readFileSync(MUNGE_PID, "utf8").trim()));
    for (const pid of pids) process.kill(pid, "SIGTERM");
    // slurmctld saves its state as it exits: the folder goes once it has
    const end = Date.now() + 15_000;
    while (pids.some((pid) => running(pid)) && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor("the node to come up idle", 30_000, async () => {
      const { stdout } = await run("sinfo", ["-h", "-o", "%t"], { env });
      return /idle/.test(stdout) ? true : null;
    }, path.join(dir, "slurmd.log"));
  } catch (error) {
    await stop();
    throw error;
  }
  return { conf, dir, partition, env, stop };
}
