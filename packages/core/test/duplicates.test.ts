import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DUPLICATE_RADIUS_METERS, DUPLICATE_WINDOW_MS, isPossibleDuplicate } from '../src/incidents/duplicates.js';
import { distanceMeters } from '../src/incidents/geo.js';
import { STATUSES, type Incident, type Status } from '../src/incidents/model.js';

// Pabellón A of the demo campus; one degree of latitude is about 111 195 m on this sphere.
const A = { lat: -12.13528, lng: -77.02205 };
const METERS_PER_DEGREE = (Math.PI / 180) * 6_371_000;
const north = (meters: number) => ({ lat: A.lat + meters / METERS_PER_DEGREE, lng: A.lng });

const NOW = Date.UTC(2026, 2, 10, 15, 0, 0);

type Candidate = Pick<Incident, 'category' | 'status' | 'locationCode' | 'lat' | 'lng' | 'createdAt'>;
const draft = (over: Partial<Pick<Incident, 'category' | 'locationCode' | 'lat' | 'lng'>> = {}) => ({
  category: 'infrastructure',
  locationCode: 'A-301',
  lat: A.lat,
  lng: A.lng,
  ...over,
});
const other = (over: Partial<Candidate> = {}): Candidate => ({
  category: 'infrastructure',
  status: 'pending',
  locationCode: 'A-301',
  lat: A.lat,
  lng: A.lng,
  createdAt: NOW - 60_000,
  ...over,
});

describe('distanceMeters', () => {
  it('is zero for the same point and symmetric', () => {
    assert.equal(distanceMeters(A, A), 0);
    const b = { lat: -12.13561, lng: -77.02161 };
    assert.equal(distanceMeters(A, b), distanceMeters(b, A));
  });

  it('measures a north-south offset exactly along the meridian', () => {
    assert.ok(Math.abs(distanceMeters(A, north(50)) - 50) < 1e-6);
    assert.ok(Math.abs(distanceMeters(A, north(200)) - 200) < 1e-6);
  });

  it('measures known distances: one degree of latitude, a quarter of the equator, antipodes', () => {
    assert.ok(Math.abs(distanceMeters({ lat: 0, lng: 0 }, { lat: 1, lng: 0 }) - METERS_PER_DEGREE) < 1e-6);
    assert.ok(Math.abs(distanceMeters({ lat: 0, lng: 0 }, { lat: 0, lng: 90 }) - (Math.PI / 2) * 6_371_000) < 1e-3);
    assert.ok(Math.abs(distanceMeters({ lat: 0, lng: 0 }, { lat: 0, lng: 180 }) - Math.PI * 6_371_000) < 1e-3);
    assert.ok(Math.abs(distanceMeters({ lat: 90, lng: 0 }, { lat: -90, lng: 0 }) - Math.PI * 6_371_000) < 1e-3);
  });

  it('shrinks east-west distances with the cosine of the latitude, and wraps the date line', () => {
    const atEquator = distanceMeters({ lat: 0, lng: 0 }, { lat: 0, lng: 0.001 });
    const at60 = distanceMeters({ lat: 60, lng: 0 }, { lat: 60, lng: 0.001 });
    assert.ok(Math.abs(at60 / atEquator - 0.5) < 1e-3, `ratio ${at60 / atEquator}`);
    const acrossDateLine = distanceMeters({ lat: 0, lng: 179.9995 }, { lat: 0, lng: -179.9995 });
    assert.ok(Math.abs(acrossDateLine - atEquator) < 1e-3, `across the date line ${acrossDateLine}`);
  });

  it('places the demo buildings A and B some 60 m apart', () => {
    const d = distanceMeters(A, { lat: -12.13561, lng: -77.02161 });
    assert.ok(d > 55 && d < 65, `A–B ${d}`);
  });
});

describe('isPossibleDuplicate', () => {
  it('exposes the window and radius the contract names: 24 h and 50 m', () => {
    assert.equal(DUPLICATE_WINDOW_MS, 24 * 60 * 60 * 1000);
    assert.equal(DUPLICATE_RADIUS_METERS, 50);
  });

  it('matches an open incident of the same category at the same location code', () => {
    assert.equal(isPossibleDuplicate(draft(), other(), NOW), true);
  });

  it('compares location codes case-insensitively, even without coordinates', () => {
    assert.equal(isPossibleDuplicate(draft({ locationCode: 'a-301', lat: null, lng: null }), other({ lat: null, lng: null }), NOW), true);
  });

  it('matches within 50 m without a shared code, and not beyond', () => {
    const near = north(49);
    const far = north(51);
    assert.equal(isPossibleDuplicate(draft({ locationCode: null }), other({ locationCode: 'B-P2', ...near }), NOW), true);
    assert.equal(isPossibleDuplicate(draft({ locationCode: 'A-P3' }), other({ locationCode: null, ...near }), NOW), true);
    assert.equal(isPossibleDuplicate(draft({ locationCode: 'A-P3' }), other({ locationCode: 'B-P2', ...far }), NOW), false);
    assert.equal(isPossibleDuplicate(draft({ locationCode: null }), other({ locationCode: null, ...north(200) }), NOW), false);
  });

  it('never matches another category, even at the same spot', () => {
    assert.equal(isPossibleDuplicate(draft(), other({ category: 'cleaning' }), NOW), false);
  });

  it('matches only open statuses', () => {
    const open: Status[] = ['pending', 'in_progress', 'escalated'];
    for (const status of STATUSES) {
      assert.equal(isPossibleDuplicate(draft(), other({ status }), NOW), open.includes(status), status);
    }
  });

  it('matches reports of the last 24 hours only (the edge included)', () => {
    assert.equal(isPossibleDuplicate(draft(), other({ createdAt: NOW - DUPLICATE_WINDOW_MS }), NOW), true);
    assert.equal(isPossibleDuplicate(draft(), other({ createdAt: NOW - DUPLICATE_WINDOW_MS - 1 }), NOW), false);
    assert.equal(isPossibleDuplicate(draft(), other({ createdAt: NOW - 3 * DUPLICATE_WINDOW_MS }), NOW), false);
  });

  it('does not match when a side lacks both a shared code and coordinates', () => {
    assert.equal(isPossibleDuplicate(draft({ locationCode: null, lat: null, lng: null }), other(), NOW), false);
    assert.equal(isPossibleDuplicate(draft({ locationCode: 'A-P3' }), other({ locationCode: 'A-301', lat: null, lng: null }), NOW), false);
    assert.equal(isPossibleDuplicate(draft({ locationCode: null }), other({ locationCode: null, lat: A.lat, lng: null }), NOW), false);
  });

  it('treats different codes at the same coordinates (rooms of one building) as near', () => {
    assert.equal(isPossibleDuplicate(draft({ locationCode: 'A-301' }), other({ locationCode: 'A-P3' }), NOW), true);
  });
});
