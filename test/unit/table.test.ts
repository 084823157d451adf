import { column } from '../../src/db/column';
import { Table } from '../../src/db/table';

const table = new Table({
  name: 'thing',
  columns: {
    thingId: column.id().primary(),
    seenTime: column.time(),
    note: column.text().nullable(),
    rank: column.serial().nullable(),
  },
});

describe('a declared table', () => {
  it('names columns after their properties, in snake_case', () => {
    expect(table.all.sql('t')).toBe('t.thing_id, t.seen_time, t.note, t.rank');
    expect(table.omit('note', 'rank').sql()).toBe('thing_id, seen_time');
  });

  it('writes the declared columns of records keyed by property, times as ISO-8601 text', () => {
    const at = new Date('2026-01-31T08:00:00.000Z');
    const extra = { thingId: 'b', seenTime: at, unknown: 1 } as { thingId: string; seenTime: Date };
    expect(
      table.insert([{ thingId: 'a', seenTime: at, note: 'x' }, extra], { rank: 'DEFAULT' }),
    ).toEqual({
      sql: 'INSERT INTO thing (thing_id, seen_time, note, rank) VALUES (?, ?, ?, DEFAULT), (?, ?, ?, DEFAULT)',
      params: ['a', at.toISOString(), 'x', 'b', at.toISOString(), null],
    });
    expect(table.assignments({ note: null, seenTime: at })).toEqual({
      sql: 'note = ?, seen_time = ?',
      params: [null, at.toISOString()],
    });
    expect(table.onConflictUpdate(['thingId'], ['note'])).toBe(
      ' ON CONFLICT (thing_id) DO UPDATE SET note = excluded.note',
    );
  });

  it('reads rows of either dialect into the same record', () => {
    const iso = '2026-01-31T08:00:00.000Z';
    const sqlite = { thing_id: 'a', seen_time: iso, note: null, rank: 7 };
    const postgres = { thing_id: 'a', seen_time: new Date(iso), note: null, rank: '7' };
    const record = { thingId: 'a', seenTime: new Date(iso), note: null, rank: 7 };
    expect(table.all.read(sqlite)).toEqual(record);
    expect(table.all.read(postgres)).toEqual(record);
  });
});
