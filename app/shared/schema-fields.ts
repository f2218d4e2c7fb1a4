// The fields of a form as its values hold them: those at the top level, through layout containers
// (grids, rows: type "void"), which group fields without a level of their own.

type Field = Record<string, unknown> & { type?: string; properties?: Record<string, Field> };

/** The top-level fields of a schema, by the key their value has in a submission. */
export function topLevelFields(node: { properties?: Record<string, unknown> }): [string, Field][] {
  return Object.entries((node.properties ?? {}) as Record<string, Field>).flatMap(([key, field]) =>
    field?.type === "void" ? topLevelFields(field) : [[key, field] as [string, Field]],
  );
}
