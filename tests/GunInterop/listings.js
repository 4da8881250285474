// The sync/ listings as Gun apps walk them: .map() over sync/machines, sync/propagators (two levels) and
// sync/cells follows each link; a cell created after the peer started listing arrives by itself (pushed).
'use strict';
const { client, put, within, check, run } = require('./lib');
const [url, machine, propagator, cell, newCell] = process.argv.slice(2);
const encode = (v) => JSON.stringify({ t: 'number', v });

// Resolves with the first node .map().on() delivers that passes test.
const mapped = (chain, test, what) => within(20000, what, new Promise((resolve) => {
  chain.map().on(function (data, key) { if (data && test(data, key)) { this.off(); resolve(data); } });
}));

run(async () => {
  const peer = client(url), writer = client(url);
  const m = await mapped(peer.get('sync/machines'), (d) => d.id === machine, 'machine ' + machine + ' in sync/machines');
  check(m.active === true && m.kind === 'cluster', 'the listed machine is its node: ' + JSON.stringify(m));
  const p = await mapped(peer.get('sync/propagators').map(), (d) => d.id === propagator, 'propagator ' + propagator + ' in sync/propagators');
  check(p.machine === machine && JSON.parse(p.inputs).length === 2, 'the listed propagator is its node: ' + JSON.stringify(p));
  const c = await mapped(peer.get('sync/cells'), (d) => d.id === cell, 'cell ' + cell + ' in sync/cells');
  check(typeof c.strongest === 'string', 'the listed cell is its node: ' + JSON.stringify(c));

  // Listed while this peer watches: the new cell comes without a new get.
  const arrives = mapped(peer.get('sync/cells'), (d) => d.id === newCell && d.strongest === encode(7), 'the new cell ' + newCell + ' pushed into sync/cells');
  await put(writer.get('sync/cells/' + newCell + '/content').get('listing-test'), encode(7), 'create ' + newCell);
  await arrives;

  const sock = await require('./lib').raw(url);
  sock.send({ '#': 'w1', put: require('./lib').node('sync/cells', Date.now(), { forged: { '#': 'sync/cells/forged' } }) });
  check(/read-only/.test((await sock.reply('w1')).err), 'listings are read-only');
  sock.close();
});
