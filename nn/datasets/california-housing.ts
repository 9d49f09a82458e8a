/**
 * California Housing (20,640 districts of the 1990 census) from the CSV shipped in data/. The
 * loader derives the eight features of the usual regression set-up from the raw counts:
 *   MedInc, HouseAge, AveRooms = rooms/households, AveBedrms = bedrooms/households,
 *   Population, AveOccup = population/households, Latitude, Longitude;
 * the target is the median house value in units of $100,000. The 207 missing bedroom counts
 * are imputed as rooms × (the median bedrooms-per-room ratio of the training rows), so no test
 * row informs the imputation. The split is a seeded shuffle; features (and, optionally, the
 * target) are standardised with training statistics only.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { DeltaGraphError, Tensor, rng } from '../../lib';
import { Dataset } from '../train';

export const HOUSING_FEATURES = ['MedInc', 'HouseAge', 'AveRooms', 'AveBedrms', 'Population', 'AveOccup', 'Latitude', 'Longitude'] as const;

export interface HousingOptions {
  /** Fraction of rows held out for testing (default 0.2). */
  testFraction?: number;
  /** Seed of the shuffle that splits the rows (default 42). */
  seed?: number;
  /** Path of the CSV (default data/california-housing.csv in the project). */
  path?: string;
}

export interface Housing {
  /** x [n, 8] standardised features, y [n, 1] median value in $100,000. */
  train: Dataset;
  test: Dataset;
  featureNames: readonly string[];
  /** Training mean and standard deviation of each raw feature (the standardisation). */
  featureMean: Float64Array;
  featureStd: Float64Array;
  /** How many bedroom counts were imputed. */
  imputed: number;
}

interface RawRow {
  values: number[];
  missingBedrooms: boolean;
}

const COLUMNS = ['longitude', 'latitude', 'housing_median_age', 'total_rooms', 'total_bedrooms', 'population', 'households', 'median_income', 'median_house_value'];

function parse(text: string, path: string): RawRow[] {
  const lines = text.trim().split(/\r?\n/);
  const header = lines[0]!.split(',');
  const index = COLUMNS.map((c) => header.indexOf(c));
  const missing = COLUMNS.filter((_, i) => index[i]! < 0);
  if (missing.length > 0) throw new DeltaGraphError(`californiaHousing: ${path} lacks the columns ${missing.join(', ')}`);
  return lines.slice(1).map((line, r) => {
    const cells = line.split(',');
    const values = index.map((k) => (cells[k] === '' ? NaN : Number(cells[k])));
    const bad = values.findIndex((v, i) => Number.isNaN(v) && COLUMNS[i] !== 'total_bedrooms');
    if (bad >= 0) throw new DeltaGraphError(`californiaHousing: row ${r + 2} of ${path} has no number in column ${COLUMNS[bad]}`);
    return { values, missingBedrooms: Number.isNaN(values[4]!) };
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function loadCaliforniaHousing(options: HousingOptions = {}): Housing {
  const path = options.path ?? join(__dirname, '..', '..', 'data', 'california-housing.csv');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new DeltaGraphError(`californiaHousing: cannot read ${path}`);
  }
  const rows = parse(text, path);
  const order = rng(options.seed ?? 42).permutation(rows.length);
  const nTest = Math.round(rows.length * (options.testFraction ?? 0.2));
  const testRows = Array.from(order.subarray(0, nTest), (i) => rows[i]!);
  const trainRows = Array.from(order.subarray(nTest), (i) => rows[i]!);

  const ratio = median(trainRows.filter((r) => !r.missingBedrooms).map((r) => r.values[4]! / r.values[3]!));
  const features = (r: RawRow): number[] => {
    const [lon, lat, age, rooms, bedroomsRaw, population, households, income] = r.values as [number, number, number, number, number, number, number, number];
    const bedrooms = r.missingBedrooms ? rooms * ratio : bedroomsRaw;
    return [income, age, rooms / households, bedrooms / households, population, population / households, lat, lon];
  };
  const trainF = trainRows.map(features);
  const testF = testRows.map(features);
  const k = HOUSING_FEATURES.length;
  const mean = new Float64Array(k);
  const std = new Float64Array(k);
  for (const f of trainF) for (let j = 0; j < k; j++) mean[j] = mean[j]! + f[j]! / trainF.length;
  for (const f of trainF) for (let j = 0; j < k; j++) std[j] = std[j]! + (f[j]! - mean[j]!) ** 2 / trainF.length;
  for (let j = 0; j < k; j++) std[j] = Math.sqrt(std[j]!);

  const pack = (fs: number[][], rs: RawRow[]): Dataset => {
    const x = new Float64Array(fs.length * k);
    fs.forEach((f, i) => f.forEach((v, j) => (x[i * k + j] = (v - mean[j]!) / std[j]!)));
    const y = Float64Array.from(rs, (r) => r.values[8]! / 100_000);
    return { x: new Tensor(x, [fs.length, k]), y: new Tensor(y, [fs.length, 1]) };
  };
  return {
    train: pack(trainF, trainRows),
    test: pack(testF, testRows),
    featureNames: HOUSING_FEATURES,
    featureMean: mean,
    featureStd: std,
    imputed: rows.filter((r) => r.missingBedrooms).length,
  };
}
