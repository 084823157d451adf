import { Problems } from '../../src/validation';

const CONTROL = 'must not contain control characters (tab and line breaks are allowed)';

function textItems(value: unknown, maxLength = 20) {
  const p = new Problems();
  const ok = p.text('input.notes', value, maxLength);
  return { ok, items: p.items.map((i) => `${i.target} ${i.errorCode} ${i.message}`) };
}

describe('Problems.text', () => {
  it.each([
    ['plain text', 'Soita ennen'],
    ['tab and line breaks', 'a\tb\nc\r\nd'],
    ['letters beyond Latin-1', 'Äijälä ŠŽ Ωμέγα'],
    ['a character beyond the BMP (a surrogate pair)', 'koti 🏠'],
    ['the empty string', ''],
    ['non-breaking and other Unicode spaces', 'a\u00a0b\u2003c'],
  ])('takes %s', (_, value) => {
    expect(textItems(value)).toEqual({ ok: true, items: [] });
  });

  it.each([
    ['NUL', '\u0000'],
    ['U+0001', 'a\u0001'],
    ['backspace', 'a\u0008'],
    ['vertical tab', 'a\u000b'],
    ['form feed', 'a\u000c'],
    ['escape', '\u001b[31m'],
    ['unit separator', 'a\u001f'],
    ['delete', 'a\u007f'],
    ['next line (C1)', 'a\u0085'],
    ['the last C1 control', 'a\u009f'],
  ])('refuses %s as INVALID_VALUE', (_, value) => {
    expect(textItems(value)).toEqual({
      ok: false,
      items: [`input.notes INVALID_VALUE notes ${CONTROL}`],
    });
  });

  it.each([
    ['a lone high surrogate', 'a\ud800'],
    ['a lone low surrogate', '\udc00b'],
    ['a pair in the wrong order', '\udc00\ud800'],
  ])('refuses %s as INVALID_VALUE', (_, value) => {
    expect(textItems(value)).toEqual({
      ok: false,
      items: [
        'input.notes INVALID_VALUE notes must be valid Unicode text (it has a lone surrogate)',
      ],
    });
  });

  it('reports one item per field: type first, then length, then characters', () => {
    expect(textItems(5).items).toEqual(['input.notes INVALID_TYPE notes must be a string']);
    expect(textItems('\u0000'.repeat(21)).items).toEqual([
      'input.notes INVALID_VALUE notes must be at most 20 characters',
    ]);
  });
});
