import { describe, expect, it } from 'vitest';
import { emptyPreparationForm, formFromContent, toContent } from './preparation-form-model.ts';

describe('the preparation note form', () => {
  it('sends every checklist topic, the set and setting and the ride home', () => {
    const values = emptyPreparationForm();
    values.goals = [
      { id: '0b7f3a52-4c1d-4e8a-9f2b-6d5c4b3a2f10', text: ' Sleep through the night ' },
      { id: '1c8e4b63-5d2e-4f9b-8a3c-7e6d5c4b3a21', text: '' },
    ];
    values.psychoeducation['no-driving'] = { covered: true, note: 'Partner drives' };
    values.eyeMask = 'yes';
    values.blanket = 'no';
    values.rideName = 'Sam Rivera';
    values.ridePhone = '555-0101';
    values.rideRelationship = 'friend';
    const result = toContent(values);
    expect(result.problems).toBeNull();
    expect(result.content).toMatchObject({
      sessionDate: null,
      goals: [{ id: '0b7f3a52-4c1d-4e8a-9f2b-6d5c4b3a2f10', text: 'Sleep through the night' }],
      setAndSetting: { music: null, eyeMask: true, lighting: null, blanket: false, other: null },
      supportPerson: null,
      rideHome: { name: 'Sam Rivera', phone: '555-0101', relationship: 'friend' },
    });
    expect(result.content!.psychoeducation).toHaveLength(7);
    expect(result.content!.psychoeducation.find((p) => p.topic === 'no-driving')).toEqual({
      topic: 'no-driving',
      covered: true,
      note: 'Partner drives',
    });
    // Round trip: what was saved opens the same form.
    expect(toContent(formFromContent(result.content!)).content).toEqual(result.content);
  });

  it('names half-filled contacts by the server’s field paths', () => {
    const values = { ...emptyPreparationForm(), rideName: 'Sam', supportPhone: '555-0102' };
    expect(Object.keys(toContent(values).problems ?? {}).sort()).toEqual([
      'rideHome.phone',
      'rideHome.relationship',
      'supportPerson.name',
      'supportPerson.relationship',
    ]);
  });
});
