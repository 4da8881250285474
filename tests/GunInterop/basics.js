// put/ack, get, not-found, .on pushes between two clients, .once, nested puts with links, .set/.map, null delete.
'use strict';
const { client, once, put, seen, check, unique, run } = require('./lib');
const url = process.argv[2];

run(async () => {
  const A = client(url), B = client(url);
  const soul = unique('basics');

  const ack = await put(A.get(soul), { name: 'alice', n: 1, flag: true }, 'first put');
  check(ack.ok, 'the put is acknowledged with ok');

  const read = await once(B.get(soul), 'B reads the node');
  check(read && read.name === 'alice' && read.n === 1 && read.flag === true, 'B reads what A wrote: ' + JSON.stringify(read));

  const missing = await once(B.get(soul + '-missing'), 'not found');
  check(missing === undefined, 'a missing soul reads as undefined');

  const pushed = seen(B.get(soul), (d) => d && d.n === 2, 'B is pushed n = 2');
  await put(A.get(soul).get('n'), 2, 'put n = 2');
  await pushed;

  await put(A.get(soul).get('friend'), { name: 'bob' }, 'nested put');
  const friendName = await once(B.get(soul).get('friend').get('name'), 'read through the link');
  check(friendName === 'bob', 'B follows the link to the nested node: ' + friendName);

  const list = A.get(soul + '/list');
  await put(list.set({ x: 1 }), { x: 1 }, 'set item 1');
  await put(list.set({ x: 2 }), { x: 2 }, 'set item 2');
  const items = await new Promise((resolve, reject) => {
    const xs = new Set();
    setTimeout(() => reject(new Error('map saw ' + JSON.stringify([...xs]))), 20000);
    B.get(soul + '/list').map().on((item) => { if (item && item.x) xs.add(item.x); if (xs.size === 2) resolve(xs); });
  });
  check(items.has(1) && items.has(2), 'map() yields both set items');

  const deleted = seen(B.get(soul), (d) => d && d.name === null, 'B sees the delete');
  await put(A.get(soul).get('name'), null, 'delete name');
  await deleted;
});
