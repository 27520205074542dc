import { describe, expect, it } from 'vitest';
import type { Demographics } from '../../api/types.ts';
import {
  changedDemographics,
  demographicsFormOf,
  demographicsOf,
  emptyDemographicsForm,
  missingRequiredFields,
} from './demographics-form-model.ts';

const recorded: Demographics = {
  givenName: 'Ada',
  familyName: 'Rivera',
  preferredName: null,
  dateOfBirth: '1980-02-03',
  sexAtBirth: 'female',
  genderIdentity: null,
  pronouns: 'she/her',
  email: 'ada@example.org',
  phone: null,
  address: {
    line1: '1 Main St',
    line2: null,
    city: 'Bayview',
    region: 'CA',
    postalCode: '90000',
    country: 'US',
  },
  emergencyContact: null,
};

describe('demographics form model', () => {
  it('round-trips a record through the form without inventing changes', () => {
    const values = demographicsFormOf(recorded);
    expect(demographicsOf(values)).toEqual(recorded);
    expect(changedDemographics(recorded, demographicsOf(values))).toEqual({});
  });

  it('sends only the fields the person changed', () => {
    const values = { ...demographicsFormOf(recorded), preferredName: '  Addie ', pronouns: '' };
    expect(changedDemographics(recorded, demographicsOf(values))).toEqual({
      preferredName: 'Addie',
      pronouns: null,
    });
  });

  it('sends the whole address when one part of it changed', () => {
    const values = { ...demographicsFormOf(recorded), 'address.postalCode': '90001' };
    expect(changedDemographics(recorded, demographicsOf(values))).toEqual({
      address: { ...recorded.address, postalCode: '90001' },
    });
  });

  it('treats a fully cleared group as none and a partly filled one as given', () => {
    const cleared = {
      ...demographicsFormOf(recorded),
      'address.line1': '',
      'address.city': '',
      'address.region': '',
      'address.postalCode': '',
      'address.country': '',
    };
    expect(demographicsOf(cleared).address).toBeNull();
    const partial = { ...emptyDemographicsForm(), 'emergencyContact.name': 'Sam' };
    expect(demographicsOf(partial).emergencyContact).toEqual({ name: 'Sam', relationship: '', phone: '' });
  });

  it('upper-cases the country code the server expects (ISO 3166 alpha-2)', () => {
    const values = { ...demographicsFormOf(recorded), 'address.country': 'us' };
    expect(demographicsOf(values).address?.country).toBe('US');
  });

  it('names each missing required field', () => {
    expect(Object.keys(missingRequiredFields(emptyDemographicsForm())).sort()).toEqual([
      'dateOfBirth',
      'familyName',
      'givenName',
      'sexAtBirth',
    ]);
    expect(missingRequiredFields(demographicsFormOf(recorded))).toEqual({});
  });
});
