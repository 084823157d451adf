/** The kind of a statement, for a label: its first keyword among a fixed few. */
export function statementKind(sql: string): string {
  const keyword = /^\s*([A-Za-z]+)/.exec(sql)?.[1]?.toUpperCase();
  switch (keyword) {
    case 'SELECT':
    case 'INSERT':
    case 'UPDATE':
    case 'DELETE':
    case 'BEGIN':
    case 'COMMIT':
    case 'ROLLBACK':
    case 'SAVEPOINT':
    case 'RELEASE':
    case 'WITH':
      return keyword;
    case 'START':
      return 'BEGIN';
    default:
      return 'OTHER';
  }
}
