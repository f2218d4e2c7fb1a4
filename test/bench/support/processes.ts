import { readFileSync } from "node:fs";

// What a process costs, read from Linux's /proc: CPU time and resident memory. The bench reads the
// app's processes and the database server's backends (found through pg_stat_activity).

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU time (user + system) of a process so far, in ms; 0 when it is gone. */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command may hold spaces and parentheses: the fields start after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Resident memory of a process, in MB; 0 when it is gone. */
export function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
  } catch {
    return 0;
  }
}

/**
 * CPU used by a set of processes between two readings, in ms: `stop` takes the set as it is then
 * (a process started meanwhile counts from 0, one gone meanwhile is lost).
 */
export function cpuMeter(pids: number[]): { stop(now?: number[]): number } {
  const before = new Map(pids.map((pid) => [pid, cpuMs(pid)]));
  return {
    stop: (now = pids) => now.reduce((sum, pid) => sum + cpuMs(pid) - (before.get(pid) ?? 0), 0),
  };
}
