// One embedded Postgres (PGlite) in a worker thread, served over the wire protocol on a free
// loopback port; started by embedded-postgres.ts. It is plain CommonJS so that the same file runs
// under every loader (the SWC hook, Vitest, built JavaScript): a worker thread starts with none.
//
// workerData: { dataDir?: string, loadDataDir?: string (a tar file), dumpTo?: string,
//               maxConnections: number, pgliteWasmModule, initdbWasmModule }
// Messages to the parent: { type: 'ready', conn } once it serves, { type: 'error', message }.
// Message from the parent: 'stop' → closes the server and the database, then the thread ends.
const { readFileSync, writeFileSync } = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require('@electric-sql/pglite');
const { PGLiteSocketServer } = require('@electric-sql/pglite-socket');

async function main() {
  const { dataDir, loadDataDir, dumpTo, maxConnections, pgliteWasmModule, initdbWasmModule } = workerData;
  const db = await PGlite.create({
    dataDir,
    pgliteWasmModule,
    initdbWasmModule,
    loadDataDir: loadDataDir ? new Blob([readFileSync(loadDataDir)]) : undefined,
    // Postgres' default 128 MB buffer pool is zeroed at every start and far more than a dev
    // database needs; 16 MB halves the time to open one.
    startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'],
  });
  if (dumpTo) {
    const tar = await db.dumpDataDir('none');
    writeFileSync(dumpTo, Buffer.from(await tar.arrayBuffer()));
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

main().catch((err) => {
  parentPort.postMessage({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  parentPort.close();
});
