/**
 * What a fresh install starts with: the six incident categories and the departments
 * they route to. Names are Spanish because they are shown to the campus as they are.
 */
export interface DefaultDepartment {
  key: string;
  name: string;
  email: string | null;
  phone: string | null;
}

export const DEFAULT_DEPARTMENTS: readonly DefaultDepartment[] = [
  { key: 'maintenance', name: 'Infraestructura y Mantenimiento', email: null, phone: null },
  { key: 'security', name: 'Seguridad del Campus', email: null, phone: null },
  { key: 'health', name: 'Tópico y Salud', email: null, phone: null },
  { key: 'general', name: 'Servicios Generales', email: null, phone: null },
  { key: 'it', name: 'Tecnologías de la Información', email: null, phone: null },
];

export const DEFAULT_CATEGORIES: readonly { code: string; name: string; departmentKey: string }[] = [
  { code: 'infrastructure', name: 'Infraestructura', departmentKey: 'maintenance' },
  { code: 'security', name: 'Seguridad', departmentKey: 'security' },
  { code: 'health', name: 'Salud', departmentKey: 'health' },
  { code: 'cleaning', name: 'Limpieza', departmentKey: 'general' },
  { code: 'technology', name: 'Tecnología', departmentKey: 'it' },
  { code: 'other', name: 'Otros', departmentKey: 'general' },
];
