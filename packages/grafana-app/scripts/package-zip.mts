// Packs dist/ into <plugin id>-<version>.zip with the plugin id as the top folder, the layout
// `grafana cli plugins install --pluginUrl` and Grafana's plugin validator expect. The scaffold's
// packaging goes through `npx @grafana/sign-plugin`, which needs the network and a Grafana.com
// token; an unsigned plugin loads with `allow_loading_unsigned_plugins = betrace-betrace-app`.
// Written with node:zlib (deflate, crc32) so the build needs no zip binary.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';

const root = process.cwd();
const dist = join(root, 'dist');
const plugin = JSON.parse(readFileSync(join(dist, 'plugin.json'), 'utf8')) as { id: string; info: { version: string } };
const outName = `${plugin.id}-${plugin.info.version}.zip`;

function files(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const locals: Buffer[] = [];
const centrals: Buffer[] = [];
let offset = 0;
// A fixed timestamp (1980-01-01) keeps the zip reproducible.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
for (const path of files(dist)) {
  const name = Buffer.from(`${plugin.id}/${relative(dist, path).split('\\').join('/')}`);
  const data = readFileSync(path);
  const packed = deflateRawSync(data, { level: 9 });
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(0x0800, 6); // UTF-8 names
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt16LE(DOS_TIME, 10);
  local.writeUInt16LE(DOS_DATE, 12);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(packed.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(0x031e, 4); // made by unix, 3.0
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(0x0800, 8);
  central.writeUInt16LE(8, 10);
  central.writeUInt16LE(DOS_TIME, 12);
  central.writeUInt16LE(DOS_DATE, 14);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(packed.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(name.length, 28);
  central.writeUInt32LE((0o100644 << 16) >>> 0, 38);
  central.writeUInt32LE(offset, 42);
  locals.push(local, name, packed);
  centrals.push(central, name);
  offset += local.length + name.length + packed.length;
}
const directory = Buffer.concat(centrals);
const end = Buffer.alloc(22);
end.writeUInt32LE(0x06054b50, 0);
end.writeUInt16LE(centrals.length / 2, 8);
end.writeUInt16LE(centrals.length / 2, 10);
end.writeUInt32LE(directory.length, 12);
end.writeUInt32LE(offset, 16);
writeFileSync(join(root, outName), Buffer.concat([...locals, directory, end]));
console.log(`packed ${centrals.length / 2} files into ${outName}`);
