import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEMO_LOCATIONS, nearestLocations } from '../src/index.js';

describe('nearestLocations', () => {
  const places = [
    { code: 'FAR', lat: -12.2, lng: -77.1 },
    { code: 'B', lat: -12.1001, lng: -77.0 },
    { code: 'A', lat: -12.1001, lng: -77.0 },
    { code: 'NONE' },
    { code: 'C', lat: -12.1003, lng: -77.0 },
  ];

  it('orders by distance, ties by code, leaves out places without coordinates or too far', () => {
    const found = nearestLocations({ lat: -12.1, lng: -77.0 }, places);
    assert.deepEqual(found.map((item) => item.location.code), ['A', 'B', 'C']);
    assert.ok(Math.abs(found[0]!.distanceMeters - 11.1) < 0.2, String(found[0]!.distanceMeters));
    assert.deepEqual(nearestLocations({ lat: -12.1, lng: -77.0 }, places, { limit: 1 }).map((item) => item.location.code), ['A']);
    assert.deepEqual(nearestLocations({ lat: -12.1, lng: -77.0 }, places, { maxMeters: 20 }).map((item) => item.location.code), ['A', 'B']);
  });

  it('finds the library first on the demo campus when standing at it', () => {
    const library = DEMO_LOCATIONS.find((location) => location.code === 'BIB-P1')!;
    const [first] = nearestLocations({ lat: library.lat, lng: library.lng }, DEMO_LOCATIONS);
    assert.equal(first!.location.building, 'Biblioteca');
    assert.equal(first!.distanceMeters, 0);
  });
});
