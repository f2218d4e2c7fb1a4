import { ENGINE_CYCLES, engineFloor, platformEngineCycle } from "./floors";

// Run by floors.ts's enginesAsTheAppRuns in a node of its own, started with the app's flags:
// `node <flags> --import tsx test/bench/support/engine-floors.ts [cycles]` prints both engine
// floors as one line of JSON.

const count = Number(process.argv[2] ?? ENGINE_CYCLES);
const floors = [await engineFloor(count), await platformEngineCycle(count)];
console.log(JSON.stringify(floors));
