/**
 * The gateway's icon (a calendar page, 32x32): an ICO file holding one PNG, as every current browser
 * reads it. Served at /favicon.ico so that a browser's request for it is not a 404 in the log.
 */
export const FAVICON = Buffer.from(
  'AAABAAEAICAAAAEAIACqAAAAFgAAAIlQTkcNChoKAAAADUlIRFIAAAAgAAAAIAgGAAAAc3p69AAAAHFJREFUeNpjYMAB5OP3' +
    '/6cmZiAGUNtSkhxDL8uxOoLelmM4YmQ7gBQNIEANNSiOGHUAPskLD35QBY86YOg6ABuYv+MBGBMrTihRjjpgcDsAZiileOg6' +
    'YDQNjDpg1AF0ccBoq3hQOGDAu2aDonM6UN1zAB/CP6+uNd+sAAAAAElFTkSuQmCC',
  'base64',
);
