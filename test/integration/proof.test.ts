import { proofSuite } from "../proof/suite";

// The proof scenarios (npm run proof) in a short version, so npm test keeps them working: on PGlite
// by default (the multi-process ones are skipped, saying why), on PostgreSQL with TEST_DATABASE_URL.
proofSuite(
  {
    race: { clients: 20 },
    crash: { instances: 30, clients: 4, kills: 2 },
    timers: { seconds: 5, reminders: 6 },
    boundary: { rounds: 10 },
    fuzz: { cases: 200, oversized: 1 },
  },
  { scenario: 90_000 },
);
