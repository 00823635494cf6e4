import type { Role } from '../roles.js';

/**
 * A UTEC-like demo campus for trying the product: buildings, floors and rooms, and one
 * account per role. Seeded only into an empty database and never in production.
 */
export interface DemoLocation {
  code: string;
  name: string;
  building: string;
  floor: string;
  lat: number;
  lng: number;
}

interface Building {
  prefix: string;
  name: string;
  floors: string[];
  rooms: { label: string; floor: string; number: string }[];
  lat: number;
  lng: number;
}

const floorName = (floor: string) => (floor.startsWith('S') ? `Sótano ${floor.slice(1)}` : `Piso ${floor}`);

const classrooms = (floors: string[], label: string) =>
  floors
    .filter((floor) => !floor.startsWith('S'))
    .flatMap((floor) => ['01', '02'].map((n) => ({ label, floor, number: `${floor}${n}` })));

const BUILDINGS: Building[] = [
  { prefix: 'A', name: 'Pabellón A', floors: ['S1', '1', '2', '3', '4', '5', '6'], rooms: classrooms(['1', '2', '3', '4', '5', '6'], 'Aula'), lat: -12.13528, lng: -77.02205 },
  { prefix: 'B', name: 'Pabellón B', floors: ['1', '2', '3', '4', '5'], rooms: classrooms(['2', '3', '4', '5'], 'Laboratorio'), lat: -12.13561, lng: -77.02161 },
  { prefix: 'BIB', name: 'Biblioteca', floors: ['1', '2', '3'], rooms: [{ label: 'Sala de estudio', floor: '2', number: '201' }], lat: -12.13497, lng: -77.02239 },
  { prefix: 'CAF', name: 'Cafetería', floors: ['1'], rooms: [], lat: -12.13589, lng: -77.02247 },
  { prefix: 'AUD', name: 'Auditorio', floors: ['1'], rooms: [], lat: -12.13603, lng: -77.02192 },
  { prefix: 'POL', name: 'Polideportivo', floors: ['1'], rooms: [{ label: 'Vestuarios', floor: '1', number: '101' }], lat: -12.13621, lng: -77.02138 },
];

export const DEMO_LOCATIONS: readonly DemoLocation[] = BUILDINGS.flatMap((building) => [
  ...building.floors.map((floor) => ({
    code: `${building.prefix}-${floor.startsWith('S') ? floor : `P${floor}`}`,
    name: `${building.name} – ${floorName(floor)}`,
    building: building.name,
    floor,
    lat: building.lat,
    lng: building.lng,
  })),
  ...building.rooms.map((room) => ({
    code: `${building.prefix}-${room.number}`,
    name: `${building.name} – ${room.label} ${room.number}`,
    building: building.name,
    floor: room.floor,
    lat: building.lat,
    lng: building.lng,
  })),
]);

/**
 * The demo campus's emergency number (EMERGENCY_PHONE when the demo is on and the variable
 * is unset) and its departments' phones, by default-department key. Fictitious numbers.
 */
export const DEMO_EMERGENCY_PHONE = '+51 1 555 0100';
export const DEMO_DEPARTMENT_PHONES: Readonly<Record<string, string>> = {
  maintenance: '+51 1 555 0101',
  security: '+51 1 555 0102',
  health: '+51 1 555 0103',
  general: '+51 1 555 0104',
  it: '+51 1 555 0105',
};

export interface DemoAccount {
  email: string;
  password: string;
  name: string;
  role: Role;
  /** Key of a default department (see default-catalog.ts), for staff. */
  departmentKey: string | null;
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { email: 'admin@utec.example', password: 'demo-admin-2026', name: 'Ana Administradora', role: 'admin', departmentKey: null },
  { email: 'autoridad@utec.example', password: 'demo-autoridad-2026', name: 'Raúl Autoridad', role: 'authority', departmentKey: null },
  { email: 'mantenimiento@utec.example', password: 'demo-staff-2026', name: 'María Mantenimiento', role: 'staff', departmentKey: 'maintenance' },
  { email: 'seguridad@utec.example', password: 'demo-staff-2026', name: 'Sergio Seguridad', role: 'staff', departmentKey: 'security' },
  { email: 'estudiante@utec.example', password: 'demo-estudiante-2026', name: 'Elena Estudiante', role: 'student', departmentKey: null },
];
