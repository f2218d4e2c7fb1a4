import { DrizzlePostgreSQLAdapter } from "@lucia-auth/adapter-drizzle";
import { Lucia, TimeSpan } from "lucia";
import { sessions, users } from "@db/schema";
import type { Db } from "@db/client";
import { db } from "../db.server";
import { cookieSecure } from "../env.server";

function createLucia(database: Db) {
  return new Lucia(new DrizzlePostgreSQLAdapter(database as never, sessions, users), {
    // Sessions end after 12 idle hours (sliding), decided on the server; the cookie only carries the id.
    sessionExpiresIn: new TimeSpan(12, "h"),
    sessionCookie: {
      name: "idi_session",
      expires: false,
      attributes: { secure: cookieSecure(), sameSite: "lax" },
    },
    getUserAttributes: (attributes) => ({ status: attributes.status }),
  });
}

type AppLucia = ReturnType<typeof createLucia>;

let instance: { lucia: AppLucia; database: Db } | undefined;

/** The lucia instance bound to the process's current database. */
export function lucia(): AppLucia {
  const database = db();
  if (instance?.database !== database) instance = { lucia: createLucia(database), database };
  return instance.lucia;
}

declare module "lucia" {
  interface Register {
    Lucia: AppLucia;
    DatabaseUserAttributes: { status: string };
  }
}
