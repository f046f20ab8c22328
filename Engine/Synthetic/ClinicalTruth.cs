namespace Nccid.Batch.Synthetic;

/// <summary>The clean clinical course of one patient, revealed progressively across record versions.</summary>
internal sealed record ClinicalTruth
{
    public required DateOnly? AdmissionDate { get; init; }
    public required string TestType { get; init; }
    public required bool Hypertension { get; init; }
    public required bool? Diabetes { get; init; }
    public required bool ChronicKidneyDisease { get; init; }
    public required bool? LungDisease { get; init; }
    public required bool? AceInhibitor { get; init; }
    public required string Smoking { get; init; }
    public required double Temperature { get; init; }
    public required int HeartRate { get; init; }
    public required int SystolicBp { get; init; }
    public required int OxygenSaturation { get; init; }
    public required int? OxygenFlowLitres { get; init; }
    public required double FiO2 { get; init; }
    public required double Lymphocytes { get; init; }
    public required double Crp { get; init; }
    public required double DDimer { get; init; }
    public required double Ferritin { get; init; }
    public required double Troponin { get; init; }
    public required double Ldh { get; init; }
    public required bool Itu { get; init; }
    public required DateOnly? ItuDate { get; init; }
    public required bool Intubated { get; init; }
    public required bool Died { get; init; }
    public required DateOnly? DeathDate { get; init; }

    public static ClinicalTruth Create(PatientFacts patient, SyntheticRandom rng)
    {
        var admitted = rng.Chance(patient.Positive ? 0.8 : 0.5);
        var admission = admitted ? PatientFacts.Clamp(patient.SwabDate.AddDays(rng.Between(-2, 3))) : (DateOnly?)null;
        var itu = admitted && rng.Chance(0.2);
        var died = admitted && rng.Chance(patient.Positive ? 0.15 : 0.05);
        int? flow = rng.Chance(0.3) ? rng.Between(1, 15) : null;
        return new ClinicalTruth
        {
            AdmissionDate = admission,
            TestType = rng.Chance(0.9) ? "RT-PCR" : "Point of care PCR",
            Hypertension = rng.Chance(0.35),
            Diabetes = rng.Chance(0.05) ? null : rng.Chance(0.2),
            ChronicKidneyDisease = rng.Chance(0.1),
            LungDisease = rng.Chance(0.05) ? null : rng.Chance(0.15),
            AceInhibitor = rng.Chance(0.1) ? null : rng.Chance(0.2),
            Smoking = rng.Pick<string>(["Never", "Former", "Current", "Unknown"]),
            Temperature = Math.Round(rng.NextDouble(36.0, 39.9), 1),
            HeartRate = rng.Between(55, 130),
            SystolicBp = rng.Between(85, 180),
            OxygenSaturation = rng.Between(82, 100),
            OxygenFlowLitres = flow,
            // Low-flow oxygen adds roughly 4% FiO2 per litre; keeping the two consistent makes "10L" checkable.
            FiO2 = flow is { } litres ? Math.Round(0.21 + (0.04 * litres), 2) : Math.Round(rng.NextDouble(0.21, 0.6), 2),
            Lymphocytes = Math.Round(rng.NextDouble(0.2, 3.5), 1),
            Crp = Math.Round(rng.NextDouble(1, 320)),
            DDimer = Math.Round(rng.NextDouble(150, 6000)),
            Ferritin = Math.Round(rng.NextDouble(20, 2500)),
            Troponin = Math.Round(rng.NextDouble(1, 120)),
            Ldh = Math.Round(rng.NextDouble(120, 900)),
            Itu = itu,
            ItuDate = itu ? PatientFacts.Clamp(admission!.Value.AddDays(rng.Between(0, 6))) : null,
            Intubated = itu && rng.Chance(0.6),
            Died = died,
            DeathDate = died ? PatientFacts.Clamp(admission!.Value.AddDays(rng.Between(2, 40))) : null,
        };
    }
}
