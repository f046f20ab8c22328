namespace Nccid.Batch.Synthetic;

/// <summary>The clean truth about one patient, shared by their images and clinical records.</summary>
internal sealed record PatientFacts(
    int Index,
    string Pseudonym,
    SyntheticCentre Centre,
    bool Training,
    bool Positive,
    char Sex,
    int Age,
    string EthnicityCode,
    DateOnly SwabDate)
{
    public static readonly DateOnly FirstDate = new(2020, 1, 1);
    public static readonly DateOnly LastDate = new(2021, 12, 31);

    public static PatientFacts Create(int index, SyntheticWorld world, SyntheticRandom rng)
    {
        var centre = world.PickCentre(rng);
        var training = rng.Chance(0.7);
        var positive = rng.Chance(0.6);
        var sex = rng.Chance(0.03) ? 'U' : rng.Chance(0.55) ? 'M' : 'F';
        var age = Math.Clamp((int)Math.Round(rng.NextDouble(18, 95)), 18, 99);
        ReadOnlySpan<double> ethnicityWeights = [0.75, 0.03, 0.05, 0.03, 0.06, 0.03, 0.02, 0.03];
        string[] codes = ["A", "C", "D", "H", "J", "M", "N", "Z"];
        var ethnicity = codes[rng.PickWeighted(ethnicityWeights)];
        // Swabs from Feb 2020 to Oct 2021, leaving room for later studies and records before 2022.
        var swab = new DateOnly(2020, 2, 1).AddDays(rng.Next(638));
        return new PatientFacts(index, world.Pseudonym(index), centre, training, positive, sex, age, ethnicity, swab);
    }

    public static DateOnly Clamp(DateOnly date) => date < FirstDate ? FirstDate : date > LastDate ? LastDate : date;
}
