using System.Globalization;

namespace Nccid.Batch.Synthetic;

/// <summary>
/// Real-looking but invented identifiers. NHS-like numbers use the 999 prefix reserved for test numbers
/// and carry a valid modulus-11 check digit, so detectors that check the digit are exercised too.
/// </summary>
internal static class FakeIdentity
{
    public static (string Given, string Family) Name(SyntheticRandom rng) =>
        (rng.Pick(SyntheticCatalogue.FirstNames), rng.Pick(SyntheticCatalogue.LastNames));

    public static string NhsNumber(SyntheticRandom rng)
    {
        Span<int> digits = stackalloc int[10];
        while (true)
        {
            digits[0] = 9;
            digits[1] = 9;
            digits[2] = 9;
            var sum = 0;
            for (var i = 0; i < 9; i++)
            {
                if (i >= 3)
                {
                    digits[i] = rng.Next(10);
                }

                sum += digits[i] * (10 - i);
            }

            var check = 11 - (sum % 11);
            if (check == 10)
            {
                continue;
            }

            digits[9] = check == 11 ? 0 : check;
            return string.Create(10, digits.ToArray(), static (span, d) =>
            {
                for (var i = 0; i < 10; i++)
                {
                    span[i] = (char)('0' + d[i]);
                }
            });
        }
    }

    public static string Address(SyntheticRandom rng)
    {
        // The letters an inward code uses; the area is drawn with as many draws as before, so the rest of a corpus is unchanged.
        var letters = "ABDEFGHJLNPQRSTUWXYZ";
        var number = rng.Between(1, 180);
        var street = rng.Pick(SyntheticCatalogue.Streets);
        var town = rng.Pick(SyntheticCatalogue.Towns);
        var area = SyntheticCatalogue.PostcodeAreas[((rng.Next(20) * 20) + rng.Next(20)) % SyntheticCatalogue.PostcodeAreas.Count];
        return string.Create(CultureInfo.InvariantCulture,
            $"{number} {street}, {town}, {area}{rng.Between(1, 29)} {rng.Next(10)}{letters[rng.Next(20)]}{letters[rng.Next(20)]}");
    }

    public static DateOnly BirthDate(SyntheticRandom rng) => new DateOnly(1930, 1, 1).AddDays(rng.Next(25_567));
}
