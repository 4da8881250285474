// Carried cells and closures through the gateway: a carried cell is a node of links to its children's cell
// nodes, which a peer follows (loading each child on demand) to their strongest values; a closure is a node
// with its parameters, body and a link to its environment's carried-cell node.
'use strict';
const { client, once, check, run } = require('./lib');
const [url, carried, closure] = process.argv.slice(2);

run(async () => {
  const peer = client(url);
  const node = await once(peer.get('sync/carried_cells/' + carried), 'read the carried cell');
  check(node.type === 'carried' && node.structure === 'map' && node.version >= 1, 'carried cell node: ' + JSON.stringify(node));

  const children = await once(peer.get('sync/carried_cells/' + carried).get('children'), 'read its children');
  const keys = Object.keys(children).filter((k) => k !== '_').sort();
  check(JSON.stringify(keys) === '["x","y"]', 'children keys: ' + JSON.stringify(keys));
  const x = await once(peer.get('sync/carried_cells/' + carried).get('children').get('x'), 'follow the link to child x');
  check(x.strongest === JSON.stringify({ t: 'number', v: 1 }), 'child x through its link: ' + JSON.stringify(x));
  const y = await once(peer.get('sync/carried_cells/' + carried).get('children').get('y'), 'follow the link to child y');
  check(y.strongest === JSON.stringify({ t: 'number', v: 2 }), 'child y through its link: ' + JSON.stringify(y));

  const c = await once(peer.get('sync/closures/' + closure), 'read the closure');
  check(c.name === 'double' && c.inputs === '["x"]' && JSON.parse(c.body)[0].op === 'multiply', 'closure node: ' + JSON.stringify(c));
  const env = await once(peer.get('sync/closures/' + closure).get('env'), 'follow the closure to its environment');
  check(env.type === 'carried' && env.id === carried, 'environment node: ' + JSON.stringify(env));
});
