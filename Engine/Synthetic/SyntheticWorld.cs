using System.Globalization;

namespace Nccid.Batch.Synthetic;

/// <summary>Corpus-wide facts drawn once from the seed: the centres and the pseudonym permutation.</summary>
internal sealed class SyntheticWorld
{
    private const ulong PseudonymSpace = 1_000_000;
    private readonly double[] _weights;
    private readonly ulong _multiplier;
    private readonly ulong _offset;

    private SyntheticWorld(IReadOnlyList<SyntheticCentre> centres, ulong multiplier, ulong offset)
    {
        Centres = centres;
        _weights = new double[centres.Count];
        for (var i = 0; i < centres.Count; i++)
        {
            _weights[i] = centres[i].Weight;
        }

        _multiplier = multiplier;
        _offset = offset;
    }

    public IReadOnlyList<SyntheticCentre> Centres { get; }

    public static SyntheticWorld Create(ulong seed)
    {
        var rng = SyntheticRandom.Create(seed, purpose: 0);
        var names = new List<string>(SyntheticCatalogue.CentreNames);
        var count = rng.Between(20, Math.Min(30, names.Count));
        var centres = new List<SyntheticCentre>(count);
        var vendors = SyntheticCatalogue.Vendors;
        for (var i = 0; i < count; i++)
        {
            var pick = rng.Next(names.Count);
            var name = names[pick];
            names.RemoveAt(pick);
            var code = string.Create(CultureInfo.InvariantCulture, $"r{(char)('a' + (i / 10))}{i % 10}{(char)('a' + rng.Next(26))}");
            var crossSection = vendors[rng.Next(4)];
            centres.Add(new SyntheticCentre(
                name,
                code,
                // A few large centres send most patients, as in the real collection.
                Weight: 1.0 / (1 + i) + 0.02,
                XrayVendor: rng.Pick(vendors),
                CrossSectionVendor: crossSection,
                Utf8: rng.Chance(0.15),
                IndentedJson: rng.Chance(0.5)));
        }

        // Multiplier coprime to 10^6 makes index -> (a * index + b) mod 10^6 a permutation: unique pseudonyms.
        var multiplier = (ulong)rng.Between(1, 99_999) * 10 + (ulong)rng.Pick<int>([1, 3, 7, 9]);
        var offset = (ulong)rng.Next((int)PseudonymSpace);
        return new SyntheticWorld(centres, multiplier, offset);
    }

    public SyntheticCentre PickCentre(SyntheticRandom rng) => Centres[rng.PickWeighted(_weights)];

    public string Pseudonym(int patientIndex)
    {
        var number = ((_multiplier * (ulong)patientIndex) + _offset) % PseudonymSpace;
        return "C" + number.ToString("D6", CultureInfo.InvariantCulture);
    }
}
