// The JSON-LD credential several tests offer: the W3C examples' university degree, issued by a
// did:key to a did:key subject, as an issue-credential 2.0 `ld_proof` filter.
export function degreeOfferFilter(issuerDid: string, subjectDid: string, degreeName: string) {
  return {
    ld_proof: {
      credential: {
        '@context': ['https://www.w3.org/2018/credentials/v1', 'https://www.w3.org/2018/credentials/examples/v1'],
        type: ['VerifiableCredential', 'UniversityDegreeCredential'],
        issuer: issuerDid,
        issuanceDate: '2024-01-01T00:00:00Z',
        credentialSubject: { id: subjectDid, degree: { type: 'BachelorDegree', name: degreeName } },
      },
      options: { proofType: 'Ed25519Signature2018' },
    },
  }
}
