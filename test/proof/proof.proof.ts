import { proofSuite } from "./suite";

// npm run proof: the scenarios at full size. Sizes can be changed without editing (PROOF_* below).
const n = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

proofSuite(
  {
    race: { clients: n("PROOF_RACE_CLIENTS", 200) },
    crash: { instances: n("PROOF_CRASH_INSTANCES", 300), clients: n("PROOF_CRASH_CLIENTS", 16), kills: 2 },
    timers: { seconds: n("PROOF_TIMERS_SECONDS", 12), reminders: n("PROOF_TIMERS_REMINDERS", 60) },
    boundary: { rounds: n("PROOF_BOUNDARY_ROUNDS", 100) },
    fuzz: { cases: n("PROOF_FUZZ_CASES", 3000), oversized: 2, seed: n("PROOF_FUZZ_SEED", 20261126) },
  },
  { scenario: 10 * 60_000 },
);
