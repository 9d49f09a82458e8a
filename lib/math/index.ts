/**
 * Elementary functions that give the same bits in every JavaScript engine (engines' Math.exp,
 * Math.log, Math.sin … differ in the last bit from one version to the next), so that a computation
 * is reproducible bit for bit between Node and browsers. Each is the fdlibm algorithm written with
 * float64 +, −, ×, ÷ only; they equal Node 20's Math functions bit for bit (pow also the ** operator).
 */
export { exp } from './exp';
export { expm1 } from './expm1';
export { log } from './log';
export { log1p } from './log1p';
export { pow } from './pow';
export { sin, cos } from './trig';
export { tanh } from './tanh';
