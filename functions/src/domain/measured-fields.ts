import { netStandardVolume, type NetStandardVolume } from "./mpms";

/** The measured fields a production entry and a terminal receipt share, as stored. */
export interface MeasuredFields {
  gross_volume_bbl: number;
  api_gravity: number;
  temperature_degF: number;
  bsw_percent: number;
  pressure_psig?: number | null;
  meter_factor?: number | null;
}

/** An entry's or a receipt's net standard volume (API gravity read at the line temperature). */
export function measureFields(fields: Readonly<MeasuredFields>): NetStandardVolume {
  return netStandardVolume({
    grossVolumeBbl: fields.gross_volume_bbl,
    apiObserved: fields.api_gravity,
    temperatureF: fields.temperature_degF,
    pressurePsig: fields.pressure_psig ?? undefined,
    bswPercent: fields.bsw_percent,
    meterFactor: fields.meter_factor ?? undefined,
  });
}

export interface NsvFigures {
  api60: number;
  ctl: number;
  cpl: number;
  ctpl: number;
  csw: number;
  gsv_bbl: number;
  nsv_bbl: number;
}

/** The factors and volumes as stored beside an audit, or undefined outside the standard's range. */
export function nsvFigures(fields: Readonly<MeasuredFields>): NsvFigures | undefined {
  try {
    const nsv = measureFields(fields);
    return { api60: nsv.api60, ctl: nsv.ctl, cpl: nsv.cpl, ctpl: nsv.ctpl, csw: nsv.csw, gsv_bbl: nsv.gsvBbl, nsv_bbl: nsv.nsvBbl };
  } catch (error) {
    if (error instanceof RangeError) return undefined; // the rules say why
    throw error;
  }
}
