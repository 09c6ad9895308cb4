/** The measured and entry fields as their readers call them, keyed by the stored field. */
const FIELD_LABELS: Record<string, string> = {
  partner_id: "Partner",
  measured_at: "Measurement date",
  gross_volume_bbl: "Gross volume",
  bsw_percent: "BS&W",
  temperature_degF: "Temperature",
  api_gravity: "API gravity",
  pressure_psig: "Pressure",
  meter_factor: "Meter factor",
  api_temperature_degF: "Temperature of the API gravity reading",
  api_pressure_psig: "Pressure of the API gravity reading",
  meter_id: "Meter",
  note: "Note",
  correction_note: "Correction note",
  created_by: "Author",
  created_at: "Creation time",
};

/** A field as its readers call it ("BS&W"), its key where it has no label. */
export function fieldName(field: string): string {
  return FIELD_LABELS[field] ?? field;
}
