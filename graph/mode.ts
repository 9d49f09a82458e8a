/**
 * Whether operations are recorded into the graph. Recording is on by default and is switched off
 * inside noGrad (optimizer updates, evaluation, and the VJPs of a first-order backward pass).
 */
import { ArgumentError, describe, isCallable } from '../lib';

let recording = true;

export function isRecording(): boolean {
  return recording;
}

/** Runs fn with recording set to `on`, restoring the previous state even if fn throws. */
export function withRecording<T>(on: boolean, fn: () => T): T {
  if (!isCallable(fn)) throw new ArgumentError(`${on ? 'enableGrad' : 'noGrad'}: expected a function to run, got ${describe(fn)}`);
  const before = recording;
  recording = on;
  try {
    return fn();
  } finally {
    recording = before;
  }
}

/** Runs fn without recording: its results are constants with no history. */
export function noGrad<T>(fn: () => T): T {
  return withRecording(false, fn);
}

/** Runs fn with recording on, even inside noGrad. */
export function enableGrad<T>(fn: () => T): T {
  return withRecording(true, fn);
}
