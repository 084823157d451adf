import { isLoopbackAddress, isLoopbackHost } from '../../src/auth/development-token';

describe('isLoopbackAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.3.4',
    '::1',
    '0:0:0:0:0:0:0:1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
  ])('counts %s as loopback', (address) => expect(isLoopbackAddress(address)).toBe(true));

  it.each([
    '192.0.2.2',
    '10.0.0.1',
    '128.0.0.1',
    '0.0.0.0',
    '::',
    '::ffff:192.0.2.2',
    'fd00::2',
    'fe80::1',
    'localhost',
    '',
    undefined,
  ])('does not count %s as loopback', (address) => {
    expect(isLoopbackAddress(address)).toBe(false);
  });
});

describe('isLoopbackHost', () => {
  it('keeps the gateway to this machine on localhost and loopback addresses only', () => {
    expect(['127.0.0.1', '::1', 'localhost'].map(isLoopbackHost)).toEqual([true, true, true]);
    expect(['0.0.0.0', '::', '192.0.2.2', 'gateway.internal'].map(isLoopbackHost)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});
