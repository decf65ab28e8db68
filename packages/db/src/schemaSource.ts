/**
 * The PostgreSQL schema is derived from the SQLite one (the source): only the datasource
 * provider and the generated client's output folder differ, and the header says so.
 */

const GENERATED_HEADER =
  '// GENERATED from prisma/sqlite/schema.prisma by `npm run generate -w @farmhand/db`. Do not edit:\n' +
  '// edit the SQLite schema and regenerate. packages/db/test/schema.test.ts checks they match.\n';

export function postgresSchemaFrom(sqliteSchema: string): string {
  const body = stripLeadingComments(sqliteSchema)
    .replace(/(datasource\s+db\s*\{[^}]*provider\s*=\s*)"sqlite"/, '$1"postgresql"')
    .replace(/(output\s*=\s*)"\.\.\/\.\.\/packages\/db\/src\/generated\/sqlite"/, '$1"../../packages/db/src/generated/postgres"');
  if (!body.includes('"postgresql"') || !body.includes('generated/postgres"')) {
    throw new Error(
      'prisma/sqlite/schema.prisma no longer has `provider = "sqlite"` in `datasource db` and ' +
        '`output = "../../packages/db/src/generated/sqlite"` in `generator client`; the PostgreSQL schema is derived by replacing those two.',
    );
  }
  return `${GENERATED_HEADER}\n${body}`;
}

/** The models, enums, generator and datasource, without the file's leading comment block. */
export function stripLeadingComments(schema: string): string {
  const lines = schema.split('\n');
  let i = 0;
  while (i < lines.length && (lines[i]!.startsWith('//') || lines[i]!.trim() === '')) i++;
  return lines.slice(i).join('\n');
}
