import type { Category, Department, Location } from '@alertautec/core/schemas';
import type { CategoryRow, DepartmentRow, LocationRow } from './repository.js';

export const presentDepartment = (row: DepartmentRow): Department => ({
  id: row.id,
  name: row.name,
  email: row.email,
  phone: row.phone,
});

export const presentCategory = (row: CategoryRow): Category => ({
  code: row.code,
  name: row.name,
  departmentId: row.department_id,
});

export const presentLocation = (row: LocationRow): Location => ({
  code: row.code,
  name: row.name,
  building: row.building,
  floor: row.floor,
  ...(row.lat !== null ? { lat: row.lat } : {}),
  ...(row.lng !== null ? { lng: row.lng } : {}),
});
