/**
 * Import cycles among the project's TypeScript files, type-only imports included (ESLint's
 * import/no-cycle skips `import type`, yet a type cycle ties the files together just the same).
 * `npm run lint` runs it; it prints each cycle and fails when there is one.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** Every .ts file under these folders (node_modules and dist aside). */
export function typeScriptFiles(roots: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name === 'dist') continue;
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) files.push(full);
    }
  };
  roots.forEach(walk);
  return files.sort();
}

/** The project files a file imports (values and types, re-exports too), by relative specifier. */
function importsOf(file: string, known: ReadonlySet<string>): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return (
    importedFiles
      .map((f) => f.fileName)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => path.resolve(path.dirname(file), spec))
      // As the resolver does: the file, else the folder's index; the first that exists.
      .map((base) => [`${base}.ts`, path.join(base, 'index.ts'), base].find((c) => known.has(c)))
      .filter((candidate): candidate is string => candidate !== undefined)
  );
}

/**
 * The cycles of the import graph: each strongly connected component of more than one file (or a
 * file importing itself), files in a stable order.
 */
export function findImportCycles(files: readonly string[]): string[][] {
  const known = new Set(files.map((f) => path.resolve(f)));
  const edges = new Map([...known].map((f) => [f, importsOf(f, known)]));
  // Tarjan's algorithm, iterative so that a deep chain cannot overflow the stack.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let next = 0;
  for (const root of known) {
    if (index.has(root)) continue;
    const work: { file: string; edge: number }[] = [{ file: root, edge: 0 }];
    index.set(root, next);
    low.set(root, next++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const top = work[work.length - 1];
      const targets = edges.get(top.file) ?? [];
      if (top.edge < targets.length) {
        const to = targets[top.edge++];
        if (!index.has(to)) {
          index.set(to, next);
          low.set(to, next++);
          stack.push(to);
          onStack.add(to);
          work.push({ file: to, edge: 0 });
        } else if (onStack.has(to)) {
          low.set(top.file, Math.min(low.get(top.file)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].file;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.file)!));
      }
      if (low.get(top.file) === index.get(top.file)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== top.file);
        if (component.length > 1 || targets.includes(top.file)) cycles.push(component.sort());
      }
    }
  }
  return cycles;
}

if (require.main === module) {
  const root = path.resolve(__dirname, '..');
  const cycles = findImportCycles(
    typeScriptFiles(['src', 'test', 'scripts', 'bench'].map((d) => path.join(root, d))),
  );
  for (const cycle of cycles) {
    console.error(`Import cycle: ${cycle.map((f) => path.relative(root, f)).join(' <-> ')}`);
  }
  if (cycles.length > 0) process.exit(1);
  console.log('No import cycles, type imports included.');
}
