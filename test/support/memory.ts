import v8 from "node:v8";
import { runInNewContext } from "node:vm";

// What a program holds, not what the collector has yet to free: the heap and Node's buffers (which
// live outside the heap: a stream's backlog is there) right after a full collection.

v8.setFlagsFromString("--expose-gc");
const collect = runInNewContext("gc") as () => void;

/** Bytes of heap and buffers still reachable, after a full garbage collection. */
export function liveMemory(): number {
  collect();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}
