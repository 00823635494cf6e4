import type { Catalog } from '../catalog.js';

/** One `<option>` per department of the campus, for any department select. */
export function DepartmentOptions({ campus }: { campus: Catalog | null }) {
  return (
    <>
      {campus?.departments.map((department) => (
        <option key={department.id} value={department.id}>
          {department.name}
        </option>
      ))}
    </>
  );
}
