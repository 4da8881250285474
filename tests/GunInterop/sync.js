// The cell namespace: a peer contributes an increment to cell x, and sees the propagator's output arrive in
// cell z; cells read as metadata + strongest + a content link; bad increments and read-only writes get err;
// a machine outside the cluster registers itself and a propagator.
'use strict';
const { client, raw, once, put, seen, check, run } = require('./lib');
const [url, x, z, machine] = process.argv.slice(2);
const encode = (v) => JSON.stringify({ t: 'number', v });

run(async () => {
  const peer = client(url), other = client(url);
  const result = seen(other.get('sync/cells/' + z), (d) => d && d.strongest === encode(5), 'z = x + y arrives');

  await put(peer.get('sync/cells/' + x + '/content').get('peer-1'), encode(2), 'contribute x = 2');
  await result;

  const cell = await once(other.get('sync/cells/' + x), 'read cell x');
  check(cell.id === x && cell.type === 'value' && cell.strongest === encode(2) && cell.version >= 1, 'cell x as a node: ' + JSON.stringify(cell));
  const contributions = await once(other.get('sync/cells/' + x).get('content'), 'follow the content link');
  check(contributions['peer-1'] === encode(2), 'the content node holds the contribution: ' + JSON.stringify(contributions));

  const sock = await raw(url);
  const st = Date.now();
  sock.send({ '#': 'bad1', put: { ['sync/cells/' + x + '/content']: { _: { '#': 'sync/cells/' + x + '/content', '>': { p2: st } }, p2: '{"t":"no-such-type"}' } } });
  check(/Bad increment/.test((await sock.reply('bad1')).err), 'an undecodable increment is refused');
  sock.send({ '#': 'bad2', put: { ['sync/cells/' + x]: { _: { '#': 'sync/cells/' + x, '>': { strongest: st } }, strongest: encode(9) } } });
  check(/read-only/.test((await sock.reply('bad2')).err), 'cells themselves are read-only');
  sock.send({ '#': 'bad3', put: { ['sync/cells/' + x + '/content']: { _: { '#': 'sync/cells/' + x + '/content', '>': { p3: st } }, p3: encode(3) } } });
  check((await sock.reply('bad3')).ok, 'a contradicting increment is stored (the cell holds the contradiction)');

  await put(peer.get('sync/machines/' + machine), { name: 'browser tab', lastSeen: Date.now() }, 'register a machine');
  await put(peer.get('sync/propagators/' + machine + '/double'), { name: 'double', inputs: JSON.stringify([x]), outputs: JSON.stringify(['w']) }, 'register a propagator');
  const m = await once(other.get('sync/machines/' + machine), 'read the machine');
  check(m.kind === 'external' && m.active === true && JSON.parse(m.propagators).includes(machine + '/double'), 'machine registered: ' + JSON.stringify(m));
  const map = await once(other.get('sync/cell_propagator_map/' + x), 'read the cell map');
  check(JSON.parse(map[machine])[0] === machine + '/double' && JSON.parse(map.A).length === 1, 'cluster and external propagators in the map: ' + JSON.stringify(map));
  sock.send({ '#': 'bad4', put: { 'sync/machines/A': { _: { '#': 'sync/machines/A', '>': { name: st } }, name: 'impostor' } } });
  check(/silo of the cluster/.test((await sock.reply('bad4')).err), 'a cluster machine cannot be taken over');
  sock.close();
});
