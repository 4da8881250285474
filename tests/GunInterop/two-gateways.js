// A write through one gateway reaches a subscriber on another.
'use strict';
const { client, put, seen, check, unique, run } = require('./lib');
const [url1, url2] = process.argv.slice(2);

run(async () => {
  const A = client(url1), B = client(url2);
  const soul = unique('two');
  await put(A.get(soul), { v: 0 }, 'seed');
  const pushed = seen(B.get(soul), (d) => d && d.v === 1, 'B on gateway 2 sees v = 1');
  await put(A.get(soul).get('v'), 1, 'A writes through gateway 1');
  const data = await pushed;
  check(data.v === 1, 'value arrived');
});
