/**
 * Checkpoints in files (Node): fit's and trainGpt's checkpoints (plain JSON objects, made by the
 * universal nn) written to dir/checkpoint.json atomically — the JSON goes to a temporary file in
 * the same directory, is flushed to the disk (fsync), and is then renamed over the previous
 * checkpoint, so that a process killed at any moment leaves either the old checkpoint or the new
 * one, whole. Importing this module (the Node entries do) lets fit's checkpoint.dir write here.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, statSync, unlinkSync, writeSync } from 'fs';
import { dirname, join } from 'path';
import { ArgumentError, describe } from '../lib';
import { isRecord } from '../nn/args';
import { Checkpoint, setCheckpointDirectoryWriter } from '../nn/train';

/** The file a checkpoint directory holds. */
export const CHECKPOINT_FILE = 'checkpoint.json';

const TRAINERS = ['fit', 'trainGpt'];

function pathOf(who: string, path: unknown, what: string): string {
  if (typeof path !== 'string' || path.length === 0 || path.includes('\0')) throw new ArgumentError(`${who}: expected ${what}, got ${describe(path)}`);
  return path;
}

/** The first thing wrong with a checkpoint's envelope (format, version, trainer), or null. */
function envelopeProblem(c: unknown): string | null {
  if (!isRecord(c) || c.format !== 'deltagraph-checkpoint') {
    return `is not a deltagraph checkpoint (expected format 'deltagraph-checkpoint', got ${describe(isRecord(c) ? c.format : c)})`;
  }
  if (c.version !== 1) return `has version ${describe(c.version)}, expected 1`;
  if (!TRAINERS.includes(c.trainer as string)) return `was saved by ${describe(c.trainer)}, expected 'fit' or 'trainGpt'`;
  return null;
}

let sequence = 0;

/** Whether a process with this id is running (a temporary file of a live writer is left alone). */
function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Writes text to path atomically: to path.tmp-<pid>-<n> in the same directory, fsync, rename over
 * path, then fsync the directory where the system allows it. On an error the temporary file is
 * removed and path is as it was.
 */
function writeFileAtomic(who: string, path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}-${sequence++}`;
  try {
    const fd = openSync(tmp, 'w');
    try {
      const bytes = Buffer.from(text, 'utf8');
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // never written, or already renamed
    }
    throw new ArgumentError(`${who}: cannot write ${path}: ${(e as Error).message}; the previous checkpoint, if any, is unchanged`);
  }
  // The rename itself is durable once the directory is flushed (not possible on every system).
  try {
    const dir = openSync(dirname(path), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch {
    // Windows cannot open a directory
  }
}

/** Removes the temporary files that killed writers left beside `file`. */
function removeStale(dir: string, file: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  const pattern = new RegExp(`^${file.replace(/\./g, '\\.')}\\.tmp-(\\d+)-\\d+$`);
  for (const name of names) {
    const m = pattern.exec(name);
    if (m === null || alive(Number(m[1]))) continue;
    try {
      unlinkSync(join(dir, name));
    } catch {
      // removed by someone else
    }
  }
}

/**
 * Writes a checkpoint (what fit's or trainGpt's checkpoint.save receives) to dir/checkpoint.json,
 * creating the directory if need be, atomically: a kill at any moment leaves the previous
 * checkpoint or this one, never a part. Returns the file's path.
 */
export function saveCheckpoint(dir: string, checkpoint: Checkpoint): string {
  const who = 'saveCheckpoint';
  const d = pathOf(who, dir, 'a directory path');
  const problem = envelopeProblem(checkpoint);
  if (problem !== null) throw new ArgumentError(`${who}: the checkpoint ${problem}`);
  let text: string;
  try {
    text = JSON.stringify(checkpoint);
  } catch (e) {
    throw new ArgumentError(`${who}: the checkpoint cannot be written as JSON: ${(e as Error).message}`);
  }
  try {
    mkdirSync(d, { recursive: true });
  } catch (e) {
    throw new ArgumentError(`${who}: cannot create the directory ${d}: ${(e as Error).message}`);
  }
  const path = join(d, CHECKPOINT_FILE);
  writeFileAtomic(who, path, text);
  removeStale(d, CHECKPOINT_FILE);
  return path;
}

/**
 * Reads a checkpoint from a directory that saveCheckpoint (or fit's checkpoint.dir) wrote, or from
 * the checkpoint file itself; pass it to fit's (or trainGpt's) resume option, which checks the
 * rest. The format, version and trainer are checked here.
 */
export function loadCheckpoint(path: string): Checkpoint {
  const who = 'loadCheckpoint';
  const p = pathOf(who, path, 'a checkpoint directory or file');
  let file = p;
  try {
    if (statSync(p).isDirectory()) file = join(p, CHECKPOINT_FILE);
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ArgumentError(missing ? `${who}: there is no checkpoint at ${p} (no such directory or file)` : `${who}: cannot read ${p}: ${(e as Error).message}`);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ArgumentError(missing ? `${who}: there is no checkpoint in ${p} (no ${file})` : `${who}: cannot read ${file}: ${(e as Error).message}`);
  }
  let c: unknown;
  try {
    c = JSON.parse(text);
  } catch (e) {
    throw new ArgumentError(`${who}: ${file} is not valid JSON: ${(e as Error).message}`);
  }
  const problem = envelopeProblem(c);
  if (problem !== null) throw new ArgumentError(`${who}: ${file} ${problem}`);
  return c as Checkpoint;
}

setCheckpointDirectoryWriter((dir, checkpoint) => {
  saveCheckpoint(dir, checkpoint);
});
