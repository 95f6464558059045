// The built-in tasks and suites: importing this registers them. A new benchmark is one file here
// plus one import line (see docs/writing-a-task.md).
import "./gsm8k";
import "./mmlu";
import "./arc";
import "./hellaswag";
import "./bbh";
import "./squad";
import "./humaneval";
import { registerSuite } from "../suites";

registerSuite({ name: "core", description: "math, knowledge, science and commonsense in their default formulations", tasks: ["gsm8k", "mmlu", "arc_challenge", "hellaswag"], aggregate: "mean" });
registerSuite({ name: "olmes_rc", description: "the rank-classification (RC) formulations, OLMES style; MMLU's subjects averaged first", tasks: ["arc_easy:rc", "arc_challenge:rc", "hellaswag", "mmlu:rc"], aggregate: "mean_of_means" });
registerSuite({ name: "reasoning", description: "multi-step reasoning; BBH's subtasks averaged first", tasks: ["gsm8k", "bbh"], aggregate: "mean_of_means" });
