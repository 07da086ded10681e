import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Output } from '../program.js';
import { cityFiles, pluginFiles } from './project-templates.js';

const PLUGIN_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * `polis new plugin <name>`: a plugin package a vendor can publish: package.json (peer
 * dependency on @polis/plugin-api, a `polis` field, scripts whose `test` typechecks first),
 * tsconfig, two typed events, a plugin of a handful of lines and a test with the test kit.
 */
export async function newPlugin(name: string, options: { dir?: string }, io: Output): Promise<number> {
  if (!PLUGIN_NAME.test(name)) {
    io.err(`'${name}' cannot name a plugin: use lower-case letters, digits and '-', starting with a letter (it also becomes the events' domain)`);
    return 2;
  }
  const folder = resolve(options.dir ?? name);
  if (!writeProject(folder, pluginFiles(name), io)) return 1;
  io.out(`created the plugin ${name} in ${relative(process.cwd(), folder) || '.'}`);
  io.out(`next: cd ${relative(process.cwd(), folder) || '.'} && npm install && npm test`);
  return 0;
}

/** `polis new city <name>`: a deployment folder with a city.yaml and a package.json. */
export async function newCity(name: string, options: { dir?: string; plugin?: string[] }, io: Output): Promise<number> {
  if (!PLUGIN_NAME.test(name)) {
    io.err(`'${name}' cannot name a deployment: use lower-case letters, digits and '-', starting with a letter`);
    return 2;
  }
  const folder = resolve(options.dir ?? name);
  if (!writeProject(folder, cityFiles(name, options.plugin ?? []), io)) return 1;
  io.out(`created the deployment ${name} in ${relative(process.cwd(), folder) || '.'}`);
  io.out(`next: cd ${relative(process.cwd(), folder) || '.'} && npm install <plugin packages> && npx polis check city.yaml`);
  return 0;
}

/** Writes the files into a new or empty folder; refuses to overwrite anything. */
function writeProject(folder: string, files: Readonly<Record<string, string>>, io: Output): boolean {
  if (existsSync(folder) && readdirSync(folder).length > 0) {
    io.err(`${folder} exists and is not empty; choose another name or --dir`);
    return false;
  }
  for (const [path, text] of Object.entries(files)) {
    const target = join(folder, path);
    mkdirSync(join(target, '..'), { recursive: true });
    writeFileSync(target, text);
  }
  return true;
}
