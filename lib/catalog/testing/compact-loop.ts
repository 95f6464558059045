// Child process for the concurrent-writers test: compacts the catalog over and over until the
// file STOP exists, then prints how many compactions folded something.
import fs from "node:fs";
import { compactCatalog } from "../compact";
import { catalogStore } from "../store";

const [workspace, stop] = process.argv.slice(2);
const store = await catalogStore(workspace);
let folded = 0;
while (!fs.existsSync(stop)) {
  const result = await compactCatalog(store);
  if (result && result.folded > 0) folded++;
}
process.stdout.write(`${folded}\n`);
