import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findImportCycles, typeScriptFiles } from '../../scripts/import-cycles';

describe('the import cycle check', () => {
  let dir: string;
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  };
  const cyclesIn = () =>
    findImportCycles(typeScriptFiles([dir])).map((c) => c.map((f) => path.relative(dir, f)));

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'import-cycles-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds a cycle made of type-only imports, which import/no-cycle does not see', () => {
    write('context.ts', "import type { Services } from './schema';\nexport type C = Services;\n");
    write('schema.ts', "import { R } from './graphql/resolver';\nexport type Services = R;\n");
    write(
      'graphql/resolver.ts',
      "import type { C } from '../context';\nexport class R { c?: C; }\n",
    );
    write('other.ts', "import type { C } from './context';\nexport type O = C;\n");
    expect(cyclesIn()).toEqual([['context.ts', 'graphql/resolver.ts', 'schema.ts']]);
  });

  it('finds a file that imports itself and re-exports that close a circle', () => {
    write('a.ts', "export * from './b';\n");
    write('b.ts', "export { x } from './a';\nexport const y = 1;\n");
    write(
      'self.ts',
      "import type { T } from './self';\nexport type T = string;\nexport type U = T;\n",
    );
    expect(cyclesIn()).toEqual(expect.arrayContaining([['a.ts', 'b.ts'], ['self.ts']]));
    expect(cyclesIn()).toHaveLength(2);
  });

  it('finds none in a tree that only imports downwards', () => {
    write('top.ts', "import type { M } from './middle';\nexport type T = M;\n");
    write('middle.ts', "import { b } from './bottom';\nexport type M = typeof b;\n");
    write('bottom.ts', 'export const b = 1;\n');
    expect(cyclesIn()).toEqual([]);
  });

  it('finds none in the project', () => {
    const root = path.join(__dirname, '..', '..');
    const files = typeScriptFiles(
      ['src', 'test', 'scripts', 'bench'].map((d) => path.join(root, d)),
    );
    expect(files.length).toBeGreaterThan(100);
    expect(findImportCycles(files)).toEqual([]);
  });
});
