// Puts under load while the silo is killed: 20 puts in flight on one socket, each to a soul of its own. Prints
// "steady" once 200 were acknowledged (the test kills the silo then), goes on until 40 have been answered with
// an err, then waits for every outstanding answer. Every put must be answered, ack or err, within the deadline
// (+1.5 s for a busy machine). Prints the acknowledged souls ("acked [...]") for the test to read back.
'use strict';
const { raw, check, unique, run, node } = require('./lib');
const [url, deadlineMs] = process.argv.slice(2);

run(() => new Promise((resolve, reject) => {
  raw(url).then((peer) => {
    const prefix = unique('load'), pending = new Map(), acked = [], slow = [];
    let sent = 0, errs = 0, steady = false, stopping = false;
    const send = () => {
      const soul = prefix + '/' + (sent++), id = 'p' + soul;
      pending.set(id, { soul, at: Date.now() });
      peer.send({ '#': id, put: node(soul, Date.now(), { v: soul }) });
    };
    const finish = () => {
      console.log('acked ' + JSON.stringify(acked));
      console.log(`${sent} puts: ${acked.length} acked, ${errs} err, ${slow.length} answered late`);
      try {
        check(slow.length === 0, 'answers later than the deadline: ' + JSON.stringify(slow.slice(0, 5)));
        resolve();
      } catch (e) { reject(e); }
    };
    const watchdog = setInterval(() => {
      for (const [id, p] of pending) if (Date.now() - p.at > Number(deadlineMs) + 10000) { clearInterval(watchdog); reject(new Error('no answer at all to ' + id)); }
    }, 1000);
    peer.onMessage((m) => {
      const p = pending.get(m['@']);
      if (!p) return;
      pending.delete(m['@']);
      const took = Date.now() - p.at;
      if (took > Number(deadlineMs) + 1500) slow.push({ id: m['@'], took });
      if (m.ok && !m.err) acked.push(p.soul); else errs++;
      if (!steady && acked.length >= 200) { steady = true; console.log('steady'); }
      if (errs >= 40) stopping = true;
      if (!stopping) send();
      else if (pending.size === 0) { clearInterval(watchdog); finish(); }
    });
    for (let i = 0; i < 20; i++) send();
  }, reject);
}));
