/**
 * A small English + LaTeX math corpus the test tokenizer learns its merges from, so prompts
 * like the Qwen2.5-Math system message tokenize into fewer tokens than bytes.
 */
export const MATH_TRAINING_TEXT = String.raw`Please reason step by step, and put your final answer within \boxed{}.
Please reason step by step, and put your final answer within \boxed{}.
You are a helpful assistant. Solve the following math problem. Let's think step by step.
Problem: Find the value of $x$ such that $2x + 3 = 11$.
Solution: Subtract $3$ from both sides to get $2x = 8$. Then divide both sides by $2$, so $x = 4$.
The final answer is $\boxed{4}$.
Problem: What is the sum of the first $10$ positive integers?
Solution: The sum of the first $n$ positive integers is $\frac{n(n+1)}{2}$. With $n = 10$ the sum is $\frac{10 \cdot 11}{2} = 55$.
Therefore, the answer is $\boxed{55}$.
Problem: Compute $\sqrt{144} + \sqrt{25}$.
Solution: We have $\sqrt{144} = 12$ and $\sqrt{25} = 5$, so the sum is $12 + 5 = 17$. The answer is $\boxed{17}$.
Problem: Let $f(x) = x^2 - 4x + 4$. Find all real roots of $f(x) = 0$.
Solution: Notice that $f(x) = (x - 2)^2$. The equation $(x - 2)^2 = 0$ has the single root $x = 2$.
So the answer is $\boxed{2}$.
Problem: A triangle has sides of length $3$, $4$, and $5$. What is its area?
Solution: Since $3^2 + 4^2 = 5^2$, the triangle is a right triangle with legs $3$ and $4$.
The area of the triangle is $\frac{1}{2} \cdot 3 \cdot 4 = 6$. The final answer is $\boxed{6}$.
Problem: How many ways are there to choose $2$ books from a shelf of $6$ books?
Solution: The number of ways is $\binom{6}{2} = \frac{6 \cdot 5}{2} = 15$. Therefore the answer is $\boxed{15}$.
Problem: Evaluate $\int_0^1 x^2 \, dx$.
Solution: The antiderivative of $x^2$ is $\frac{x^3}{3}$, so the integral equals $\frac{1}{3} - 0 = \frac{1}{3}$.
The answer is $\boxed{\frac{1}{3}}$.
Problem: Find the remainder when $2^{10}$ is divided by $7$.
Solution: Since $2^3 = 8 \equiv 1 \pmod{7}$, we have $2^{10} = (2^3)^3 \cdot 2 \equiv 2 \pmod{7}$.
So the remainder is $\boxed{2}$.
Problem: Simplify $\frac{x^2 - 9}{x - 3}$ for $x \neq 3$.
Solution: Factor the numerator as $(x - 3)(x + 3)$, then cancel the common factor to get $x + 3$.
The answer is $\boxed{x + 3}$.
Problem: The probability of rain on each of two days is $\frac{1}{2}$, independently. What is the probability that it rains on both days?
Solution: The events are independent, so the probability is $\frac{1}{2} \cdot \frac{1}{2} = \frac{1}{4}$.
The final answer is $\boxed{\frac{1}{4}}$.
Problem: Solve the system $x + y = 10$ and $x - y = 2$.
Solution: Adding the two equations gives $2x = 12$, so $x = 6$. Then $y = 10 - 6 = 4$.
The solution is $(x, y) = (6, 4)$, and the answer is $\boxed{(6, 4)}$.
Problem: What is the greatest common divisor of $48$ and $180$?
Solution: We factor $48 = 2^4 \cdot 3$ and $180 = 2^2 \cdot 3^2 \cdot 5$. The greatest common divisor is $2^2 \cdot 3 = 12$.
Therefore, the final answer is $\boxed{12}$.
Problem: If $\sin \theta = \frac{3}{5}$ and $\theta$ is acute, find $\cos \theta$.
Solution: Using $\sin^2 \theta + \cos^2 \theta = 1$, we get $\cos^2 \theta = 1 - \frac{9}{25} = \frac{16}{25}$.
Since $\theta$ is acute, $\cos \theta = \frac{4}{5}$. The answer is $\boxed{\frac{4}{5}}$.
Let us verify the answer by substituting it back into the original equation. The result is correct.
We can also write a short Python program to check the computation:
def solve():
    total = sum(range(1, 11))
    return total
print(solve())
The output of the program is 55, which matches the answer above.
`;
