#!/usr/bin/env node
// The npm registry reachable here lacks some other-platform optional binaries (@swc/core-darwin-*,
// @unrs/resolver-binding-*): `npm install` leaves them out of package-lock.json but keeps them as
// optionalDependencies of their parent, and `npm ci` then refuses the lock ("Missing: … from lock
// file"). Run this after `npm install`: it drops optionalDependencies the lock does not contain.
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const file = join(__dirname, '..', process.argv[2] ?? 'package-lock.json');
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;

/** Where Node would find `name` from the package at `path`: its own node_modules, then each parent's. */
function resolves(path, name) {
  for (let dir = path; ; ) {
    if (packages[dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`]) return true;
    if (!dir) return false;
    const cut = dir.lastIndexOf('/node_modules/');
    dir = cut >= 0 ? dir.slice(0, cut) : '';
  }
}

const dropped = [];
for (const [path, entry] of Object.entries(packages)) {
  if (!entry.optionalDependencies) continue;
  for (const name of Object.keys(entry.optionalDependencies)) {
    if (!resolves(path, name)) {
      delete entry.optionalDependencies[name];
      dropped.push(`${path || '(root)'} → ${name}`);
    }
  }
  if (Object.keys(entry.optionalDependencies).length === 0) delete entry.optionalDependencies;
}
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(dropped.length ? `dropped ${dropped.length} unavailable optional dependencies:\n  ${dropped.join('\n  ')}` : 'nothing to drop');
