import { startPostgres } from "/work/main/scripts/testenv/postgres.ts";
import pg from "pg";
const t0 = Date.now();
const [a, b] = await Promise.all([startPostgres({ name: "try1" }), startPostgres({ name: "try2" })]);
console.log("started", Date.now() - t0, "ms", a.adminUrl, b.adminUrl);
const c = new pg.Client(a.adminUrl); await c.connect(); console.log((await c.query("show fsync")).rows, (await c.query("select version()")).rows[0]); await c.end();
await a.stop();
console.log("stopped a", Date.now() - t0);
// leave b for exit hook
