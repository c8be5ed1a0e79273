/**
 * The message catalogues: the shell's (en.json, km.json) and one pair per feature (treatment.*.json,
 * education.*.json) under the feature's top-level key. Used by i18next, the catalogue test and the browser tests.
 */
import en from './en.json' with { type: 'json' };
import km from './km.json' with { type: 'json' };
import treatmentEn from './treatment.en.json' with { type: 'json' };
import treatmentKm from './treatment.km.json' with { type: 'json' };
import educationEn from './education.en.json' with { type: 'json' };
import educationKm from './education.km.json' with { type: 'json' };

export const EN = { ...en, treatment: treatmentEn, education: educationEn };
export const KM = { ...km, treatment: treatmentKm, education: educationKm };
