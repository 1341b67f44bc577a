// One embedded Postgres (PGlite) in a worker thread, served over the wire protocol on a free
// loopback port; started by embedded-postgres.ts. It is plain CommonJS so that the same file runs
// under every loader (the SWC hook, Vitest, built JavaScript): a worker thread starts with none.
//
// workerData: { dataDir?: string, loadDataDir?: string (a tar file),
//               template?: { dir, tar } (initialise in memory, then write both),
//               maxConnections: number, pgliteWasmModule, initdbWasmModule }
// Messages to the parent: { type: 'ready', conn } once it serves, { type: 'error', message }.
// Message from the parent: 'stop' → closes the server and the database, then the thread ends.
const { mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require('@electric-sql/pglite');
const { PGLiteSocketServer } = require('@electric-sql/pglite-socket');

async function main() {
  const { dataDir, loadDataDir, template, maxConnections, pgliteWasmModule, initdbWasmModule } = workerData;
  const db = await PGlite.create({
    dataDir,
    pgliteWasmModule,
    initdbWasmModule,
    loadDataDir: loadDataDir ? new Blob([readFileSync(loadDataDir)]) : undefined,
    // Postgres' default 128 MB buffer pool is zeroed at every start and far more than a dev
    // database needs; 16 MB halves the time to open one.
    startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'],
  });
  if (template) {
    // initdb runs in memory (PGlite writing straight into a directory is several times slower);
    // the directory is then written from the dump with Node's own file calls.
    const tar = Buffer.from(await (await db.dumpDataDir('none')).arrayBuffer());
    writeFileSync(template.tar, tar);
    extractTar(tar, template.dir);
  }
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
  await server.start();
  parentPort.once('message', () => {
    server
      .stop()
      .then(() => db.close())
      .finally(() => parentPort.close());
  });
  parentPort.postMessage({ type: 'ready', conn: server.getServerConn() });
}

/** Writes the files of a ustar archive (as PGlite's dumpDataDir makes it: files and folders) under `dir`. */
function extractTar(tar, dir) {
  const text = (at, length) => tar.toString('latin1', at, at + length).replace(/\0.*$/s, '');
  mkdirSync(dir, { recursive: true });
  for (let at = 0; at + 512 <= tar.length && tar[at] !== 0;) {
    const name = [text(at + 345, 155), text(at, 100)].filter(Boolean).join('/');
    const size = parseInt(text(at + 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(tar[at + 156]);
    const target = join(dir, name);
    if (type === '5') mkdirSync(target, { recursive: true });
    // The running server's lock file is no part of a database to copy.
    else if ((type === '0' || type === '\0') && name !== '/postmaster.pid') {
      mkdirSync(join(target, '..'), { recursive: true });
      writeFileSync(target, tar.subarray(at + 512, at + 512 + size));
    }
    at += 512 + Math.ceil(size / 512) * 512;
  }
}

main().catch((err) => {
  parentPort.postMessage({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  parentPort.close();
});
