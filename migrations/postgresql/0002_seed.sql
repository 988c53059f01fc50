-- migrations/0002_seed.sql for PostgreSQL: the same rows, with the same
-- explicit ids; the statements below are standard SQL and copied as they
-- are. At the end each identity is moved past the highest id, as SQLite
-- picks max(id) + 1 for the next row.
--
-- Initial data set: every fact of the two source documents, with provenance.
--
--   source 1  000_e56b3df847a755be.txt  overview essay, no year, no figures
--   source 2  001_632777448021dadc.txt  article on ML jobs, year 2024
--
-- All texts below are paraphrases. Explicit ids are used throughout so that
-- tests can refer to rows. roles.pay_usd is never set here: the salary
-- triggers compute it from the exact average-base observations.

-- ---------------------------------------------------------------------------
-- sources
-- ---------------------------------------------------------------------------
INSERT INTO sources (id, slug, title, kind, year, origin, summary) VALUES
(1, 'lucrative-tech-careers-overview',
    'Exploring the Most Lucrative Careers in Technology',
    'overview', NULL, '000_e56b3df847a755be.txt',
    'Essay surveying well-paid technology career paths and why they pay well (scarce skills, measurable value, high entry barriers). Describes each path and the skills it needs, but gives no salary figures and no date.'),
(2, 'highest-paying-ml-jobs-2024',
    'Highest Paying Machine Learning Jobs in 2024',
    'article', 2024, '001_632777448021dadc.txt',
    'Blog article ranking five machine learning roles by average base salary, based on the author''s review of job postings. Also ranks in-demand skills, hiring industries and pay factors, and gives job-search tips, an outlook and an FAQ.');

-- ---------------------------------------------------------------------------
-- roles (pay_usd left to the triggers)
-- ---------------------------------------------------------------------------
INSERT INTO roles (id, slug, title, category, summary) VALUES
(1,  'machine-learning-engineer', 'Machine Learning Engineer', 'AI & machine learning',
     'Builds, tests, ships and maintains production machine learning systems, drawing on mathematics, software engineering and infrastructure know-how. Tops the article''s pay ranking of ML roles.'),
(2,  'cloud-architect', 'Cloud Architect', 'Infrastructure',
     'Designs and tunes the cloud infrastructure an organisation runs on, balancing security, reliability, cost and scale. Demand is described as reaching almost every sector that has adopted cloud.'),
(3,  'cybersecurity-leader', 'Cybersecurity Leader (CISO / Senior Security Architect)', 'Security',
     'Senior security leadership, such as a chief information security officer or senior security architect, accountable for an organisation''s breach risk. Needs technical depth plus team leadership and the ability to explain risk to boards and executives.'),
(4,  'software-engineer-elite-tech', 'Software Engineer at Elite Technology Companies', 'Software engineering',
     'Engineers at large tech platforms and fast-growing software firms, paid through a mix of base salary, equity and bonuses. Entry runs through highly structured and competitive interviews.'),
(5,  'data-science-leader', 'Data Science Leader', 'Data',
     'Senior data scientists and heads of data science who turn analysis of large, messy data into business decisions. Combines statistics and machine learning with knowledge of the business domain.'),
(6,  'blockchain-developer', 'Blockchain and Distributed Systems Developer', 'Software engineering',
     'Builds systems on distributed ledgers, which calls for cryptography, consensus and distributed computing expertise. Demand comes from finance, supply chains, gaming and media, and government.'),
(7,  'devops-engineer', 'DevOps Engineer', 'Infrastructure',
     'Builds and runs software delivery infrastructure such as CI/CD pipelines, monitoring and infrastructure automation, lifting the output of the whole engineering organisation.'),
(8,  'platform-engineer', 'Platform Engineer', 'Infrastructure',
     'A newer offshoot of DevOps focused on internal developer platforms that give engineering teams self-service deployment and operations. Pairs infrastructure depth with product thinking.'),
(9,  'technical-product-manager', 'Technical Product Manager', 'Product & business',
     'Product manager with real engineering depth who leads product work at fast-growing tech firms. Valued for linking technical constraints to business strategy and hard to replace.'),
(10, 'quantitative-developer-researcher', 'Quantitative Developer / Researcher', 'Finance',
     'Quant developers, algorithmic trading engineers and quant researchers at hedge funds, trading firms and banks. Their trading work draws on statistics, ML, optimization and fast (high-performance) computing.'),
(11, 'sales-engineer', 'Sales Engineer', 'Product & business',
     'Technical specialist supporting enterprise software sales by explaining products and designing solutions for customers. Pay often adds deal-linked commission or bonus to a base salary.'),
(12, 'technology-founder', 'Technology Entrepreneur (Founder)', 'Product & business',
     'Founding a technology company. Possible wealth far exceeds any salaried role, but outcomes vary widely and most ventures do not succeed.'),
(13, 'quantum-software-developer', 'Quantum Computing Software Developer', 'Emerging',
     'Writes software for quantum computers; named as an emerging field where early expertise earns a pay edge.'),
(14, 'ar-vr-engineer', 'AR/VR Engineer', 'Emerging',
     'Engineering for augmented and virtual reality; listed among emerging specializations with early-mover pay advantages.'),
(15, 'edge-computing-architect', 'Edge Computing Architect', 'Emerging',
     'Designs edge computing systems; listed among emerging specializations with early-mover pay advantages.'),
(16, 'autonomous-systems-engineer', 'Autonomous Systems Engineer', 'Emerging',
     'Engineers autonomous systems; listed among emerging specializations with early-mover pay advantages.'),
(17, 'ai-safety-researcher', 'AI Safety and Alignment Researcher', 'Emerging',
     'Researches how to keep AI systems safe and aligned with intended goals. Still a small field by headcount but drawing growing investment.'),
(18, 'machine-learning-architect', 'Machine Learning Architect', 'AI & machine learning',
     'Designs and scales AI systems, setting requirements and blueprints for infrastructure, data pipelines, models and the technology stack. Links engineering teams with executives.'),
(19, 'ai-research-scientist', 'AI Research Scientist', 'AI & machine learning',
     'Invents and develops new machine learning algorithms and publishes papers and patents. Leading labs mostly hire PhDs with a track record.'),
(20, 'data-science-manager', 'Data Science Manager', 'Data',
     'Leads teams of data analysts, data scientists and engineers applying machine learning to business problems, and sets technical direction and roadmaps.'),
(21, 'machine-learning-manager', 'Machine Learning Manager', 'AI & machine learning',
     'Manages teams that build AI systems end to end, coordinating data scientists, researchers, ML and software engineers and domain experts. The article''s body calls the role machine learning engineering manager.');

-- ---------------------------------------------------------------------------
-- role_mentions
-- ---------------------------------------------------------------------------
INSERT INTO role_mentions (role_id, source_id, section) VALUES
(1,  1, 'Machine Learning Engineering and the Artificial Intelligence Premium'),
(2,  1, 'Cloud Architecture and the Infrastructure Specialization Premium'),
(3,  1, 'Cybersecurity Leadership and the Risk Management Premium'),
(4,  1, 'Software Engineering at Elite Technology Companies'),
(5,  1, 'Data Science Leadership and the Analytics Premium'),
(6,  1, 'Blockchain and Distributed Systems Development'),
(7,  1, 'DevOps and Platform Engineering as High-Value Infrastructure Roles'),
(8,  1, 'DevOps and Platform Engineering as High-Value Infrastructure Roles'),
(9,  1, 'Technical Product Management in High-Growth Environments'),
(10, 1, 'Quantitative Finance and the Intersection of Technology and Capital Markets'),
(11, 1, 'Technology Sales Engineering and Customer-Facing Technical Roles'),
(12, 1, 'Technology Entrepreneurship and the Equity Opportunity'),
(13, 1, 'Emerging Specializations Defining the Next Decade of Opportunity'),
(14, 1, 'Emerging Specializations Defining the Next Decade of Opportunity'),
(15, 1, 'Emerging Specializations Defining the Next Decade of Opportunity'),
(16, 1, 'Emerging Specializations Defining the Next Decade of Opportunity'),
(17, 1, 'Emerging Specializations Defining the Next Decade of Opportunity'),
(1,  2, 'What is Machine Learning?'),
(1,  2, 'Highest Paying Machine Learning Jobs'),
(1,  2, 'Machine Learning Engineer Average Base Salary: $146,085'),
(18, 2, 'Highest Paying Machine Learning Jobs'),
(18, 2, 'Machine Learning Architect Average Base Salary: $140,245'),
(19, 2, 'Highest Paying Machine Learning Jobs'),
(19, 2, 'AI Research Scientist Average Base Salary: $136,245'),
(20, 2, 'Highest Paying Machine Learning Jobs'),
(20, 2, 'Data Science Manager Average Base Salary: $135,091'),
(21, 2, 'Highest Paying Machine Learning Jobs'),
(21, 2, 'Machine Learning Manager Average Base Salary: $133,537');

-- ---------------------------------------------------------------------------
-- salaries (whole USD; article figures dated 2024)
-- ---------------------------------------------------------------------------
INSERT INTO salaries (id, role_id, subject, amount_usd, kind, statistic, bound, scope, year, source_id, section, note) VALUES
(1, 1,  NULL, 146085, 'base', 'average', 'exact', NULL, 2024, 2,
    'Highest Paying Machine Learning Jobs',
    'Rank 1 of the list; the role''s section heading repeats the same figure.'),
(2, 18, NULL, 140245, 'base', 'average', 'exact', NULL, 2024, 2,
    'Highest Paying Machine Learning Jobs',
    'Rank 2 of the list; the role''s section heading repeats the same figure.'),
(3, 19, NULL, 136245, 'base', 'average', 'exact', NULL, 2024, 2,
    'Highest Paying Machine Learning Jobs',
    'Rank 3 of the list; the role''s section heading repeats the same figure.'),
(4, 20, NULL, 135091, 'base', 'average', 'exact', NULL, 2024, 2,
    'Highest Paying Machine Learning Jobs',
    'Rank 4 of the list; the role''s section heading repeats the same figure.'),
(5, 21, NULL, 133537, 'base', 'average', 'exact', NULL, 2024, 2,
    'Machine Learning Manager Average Base Salary: $133,537',
    'Taken from the section heading, which gives the figure cleanly. The ranked list (rank 5) prints it malformed as "$133,alpha", so the list entry was not used.'),
(6, 1,  NULL, 250000, 'total', 'minimum', 'at_least',
    'Senior machine learning engineers at elite tech companies (Google, Microsoft, Apple, Amazon)', 2024, 2,
    'Machine Learning Engineer Average Base Salary: $146,085',
    'Stated as "$250,000+" total annual compensation: an open-ended lower bound, not a point value.'),
(7, NULL, 'Experienced doctors and lawyers', 100000, 'base', 'average', 'below', NULL, 2024, 2,
    'AI Research Scientist Average Base Salary: $136,245',
    'Comparison only: the text says these professionals earn on average under $100k. Recorded as pay (the wording is "earning") and as an upper bound, not a point value; no source or geography is given.');

-- ---------------------------------------------------------------------------
-- skills: the ranked demand list exactly as published (no rank 9)
-- ---------------------------------------------------------------------------
INSERT INTO skills (id, slug, name, demand_rank, source_id, section) VALUES
(1,  'python',                  'Python',                  1,  2, 'The Most In-Demand Machine Learning Skills'),
(2,  'tensorflow',              'TensorFlow',              2,  2, 'The Most In-Demand Machine Learning Skills'),
(3,  'sql',                     'SQL',                     3,  2, 'The Most In-Demand Machine Learning Skills'),
(4,  'aws-cloud',               'AWS/Cloud',               4,  2, 'The Most In-Demand Machine Learning Skills'),
(5,  'pytorch',                 'PyTorch',                 5,  2, 'The Most In-Demand Machine Learning Skills'),
(6,  'linux',                   'Linux',                   6,  2, 'The Most In-Demand Machine Learning Skills'),
(7,  'spark',                   'Spark',                   7,  2, 'The Most In-Demand Machine Learning Skills'),
(8,  'kubernetes',              'Kubernetes',              8,  2, 'The Most In-Demand Machine Learning Skills'),
(9,  'java',                    'Java',                    10, 2, 'The Most In-Demand Machine Learning Skills'),
(10, 'c-cpp',                   'C/C++',                   11, 2, 'The Most In-Demand Machine Learning Skills'),
(11, 'azure-google-cloud',      'Azure/Google Cloud',      12, 2, 'The Most In-Demand Machine Learning Skills'),
(12, 'statistics',              'Statistics',              13, 2, 'The Most In-Demand Machine Learning Skills'),
(13, 'ai-modeling',             'AI Modeling',             14, 2, 'The Most In-Demand Machine Learning Skills'),
(14, 'ai-infrastructure-mlops', 'AI Infrastructure/MLOps', 15, 2, 'The Most In-Demand Machine Learning Skills'),
(15, 'jupyter-notebooks',       'Jupyter Notebooks',       16, 2, 'The Most In-Demand Machine Learning Skills'),
(16, 'excel',                   'Excel',                   17, 2, 'The Most In-Demand Machine Learning Skills');

-- skills named by the documents but not ranked
INSERT INTO skills (id, slug, name, demand_rank, source_id, section) VALUES
-- mathematics
(17, 'linear-algebra',              'Linear algebra',                      NULL, 1, 'Machine Learning Engineering and the Artificial Intelligence Premium'),
(18, 'probability',                 'Probability',                         NULL, 1, 'Machine Learning Engineering and the Artificial Intelligence Premium'),
(19, 'optimization',                'Optimization',                        NULL, 1, 'Machine Learning Engineering and the Artificial Intelligence Premium'),
(20, 'discrete-mathematics',        'Discrete mathematics',                NULL, 1, 'Building the Skills That Translate Across Lucrative Technology Paths'),
(21, 'applied-mathematics',         'Applied mathematics',                 NULL, 2, 'AI Research Scientist Average Base Salary: $136,245'),
(22, 'calculus',                    'Calculus',                            NULL, 2, 'Machine Learning Jobs FAQs'),
-- computing foundations
(23, 'software-engineering',        'Software engineering',                NULL, 1, 'Machine Learning Engineering and the Artificial Intelligence Premium'),
(24, 'algorithms-data-structures',  'Algorithms and data structures',      NULL, 1, 'Software Engineering at Elite Technology Companies'),
(25, 'system-design',               'System design',                       NULL, 1, 'Software Engineering at Elite Technology Companies'),
(26, 'computer-science',            'Computer science fundamentals',       NULL, 2, 'Machine Learning Engineer Average Base Salary: $146,085'),
(27, 'programming',                 'Programming',                         NULL, 2, 'Machine Learning Engineer Average Base Salary: $146,085'),
(28, 'distributed-systems',         'Distributed systems',                 NULL, 1, 'Cloud Architecture and the Infrastructure Specialization Premium'),
(29, 'high-performance-computing',  'High-performance computing',          NULL, 1, 'Quantitative Finance and the Intersection of Technology and Capital Markets'),
-- data and machine learning
(30, 'machine-learning',            'Machine learning',                    NULL, 1, 'Data Science Leadership and the Analytics Premium'),
(31, 'data-science',                'Data science',                        NULL, 2, 'Machine Learning Engineer Average Base Salary: $146,085'),
(32, 'data-pipelines',              'Data pipelines',                      NULL, 2, 'Machine Learning Engineer Average Base Salary: $146,085'),
(33, 'data-mining',                 'Data mining',                         NULL, 2, 'Machine Learning Jobs FAQs'),
(34, 'r',                           'R',                                   NULL, 2, 'Machine Learning Jobs FAQs'),
(35, 'pandas',                      'Pandas',                              NULL, 2, 'Machine Learning Jobs FAQs'),
(36, 'numpy',                       'NumPy',                               NULL, 2, 'Tips for Landing a 6 Figure Machine Learning Job'),
(37, 'scikit-learn',                'SciKit-Learn',                        NULL, 2, 'Machine Learning Jobs FAQs'),
(38, 'opencv',                      'OpenCV',                              NULL, 2, 'Tips for Landing a 6 Figure Machine Learning Job'),
-- infrastructure and security
(39, 'networking',                  'Networking',                          NULL, 1, 'Cloud Architecture and the Infrastructure Specialization Premium'),
(40, 'security-architecture',       'Security architecture',               NULL, 1, 'Cloud Architecture and the Infrastructure Specialization Premium'),
(41, 'cost-optimization',           'Cost optimization',                   NULL, 1, 'Cloud Architecture and the Infrastructure Specialization Premium'),
(42, 'cryptography',                'Cryptography',                        NULL, 1, 'Blockchain and Distributed Systems Development'),
(43, 'consensus-mechanisms',        'Consensus mechanisms',                NULL, 1, 'Blockchain and Distributed Systems Development'),
(44, 'ci-cd',                       'CI/CD pipelines',                     NULL, 1, 'DevOps and Platform Engineering as High-Value Infrastructure Roles'),
(45, 'monitoring',                  'Monitoring',                          NULL, 1, 'DevOps and Platform Engineering as High-Value Infrastructure Roles'),
(46, 'infrastructure-automation',   'Infrastructure automation',           NULL, 1, 'DevOps and Platform Engineering as High-Value Infrastructure Roles'),
(47, 'infrastructure-engineering',  'Infrastructure engineering',          NULL, 1, 'DevOps and Platform Engineering as High-Value Infrastructure Roles'),
(48, 'devops',                      'DevOps',                              NULL, 2, 'The Most In-Demand Machine Learning Skills'),
(49, 'threat-landscape-awareness',  'Threat landscape awareness',          NULL, 1, 'Cybersecurity Leadership and the Risk Management Premium'),
(50, 'risk-management',             'Risk management',                     NULL, 1, 'Cybersecurity Leadership and the Risk Management Premium'),
-- product, business and people
(51, 'product-thinking',            'Product thinking',                    NULL, 1, 'DevOps and Platform Engineering as High-Value Infrastructure Roles'),
(52, 'user-experience',             'User experience principles',          NULL, 1, 'DevOps and Platform Engineering as High-Value Infrastructure Roles'),
(53, 'business-strategy',           'Business strategy',                   NULL, 1, 'Technical Product Management in High-Growth Environments'),
(54, 'business-domain-knowledge',   'Business domain knowledge',           NULL, 1, 'Data Science Leadership and the Analytics Premium'),
(55, 'solution-architecture',       'Solution architecture',               NULL, 1, 'Technology Sales Engineering and Customer-Facing Technical Roles'),
(56, 'fundraising',                 'Fundraising',                         NULL, 1, 'Technology Entrepreneurship and the Equity Opportunity'),
(57, 'strategic-planning',          'Strategic planning',                  NULL, 2, 'Data Science Manager Average Base Salary: $135,091'),
(58, 'budgeting',                   'Budgeting',                           NULL, 2, 'Data Science Manager Average Base Salary: $135,091'),
(59, 'resource-allocation',         'Resource allocation',                 NULL, 1, 'Cybersecurity Leadership and the Risk Management Premium'),
(60, 'people-management',           'People management',                   NULL, 2, 'Data Science Manager Average Base Salary: $135,091'),
(61, 'leadership',                  'Leadership',                          NULL, 1, 'Cybersecurity Leadership and the Risk Management Premium'),
(62, 'communication',               'Communication',                       NULL, 1, 'Building the Skills That Translate Across Lucrative Technology Paths'),
(63, 'research-writing-presenting', 'Research writing and presentation',   NULL, 2, 'AI Research Scientist Average Base Salary: $136,245'),
(64, 'emotional-intelligence',      'Emotional intelligence',              NULL, 2, 'The Most In-Demand Machine Learning Skills'),
(65, 'self-directed-learning',      'Self-directed learning',              NULL, 2, 'The Most In-Demand Machine Learning Skills');

-- ---------------------------------------------------------------------------
-- skill_shares
-- ---------------------------------------------------------------------------
INSERT INTO skill_shares (id, skill_id, metric, percent, qualifier, scope, source_id, section) VALUES
(1, 4, 'listing_share', 41, 'exact',
    'Job listings analysed by the author; the figure is given for AWS and cloud skills taken together', 2,
    'The Most In-Demand Machine Learning Skills'),
(2, 1, 'usage_share', 90, 'nearly',
    'Share of machine learning coding done in Python (answer on programming languages)', 2,
    'Machine Learning Jobs FAQs');

-- ---------------------------------------------------------------------------
-- role_skills: only where a document ties the skill to the role
-- ---------------------------------------------------------------------------
INSERT INTO role_skills (role_id, skill_id, source_id, section) VALUES
-- machine-learning-engineer (1)
(1,  17, 1, 'Machine Learning Engineering and the Artificial Intelligence Premium'),
(1,  18, 1, 'Machine Learning Engineering and the Artificial Intelligence Premium'),
(1,  19, 1, 'Machine Learning Engineering and the Artificial Intelligence Premium'),
(1,  23, 1, 'Machine Learning Engineering and the Artificial Intelligence Premium'),
(1,  14, 1, 'Machine Learning Engineering and the Artificial Intelligence Premium'),
(1,  1,  2, 'Machine Learning Engineer Average Base Salary: $146,085'),
(1,  2,  2, 'Machine Learning Engineer Average Base Salary: $146,085'),
(1,  24, 2, 'Machine Learning Engineer Average Base Salary: $146,085'),
(1,  26, 2, 'Machine Learning Engineer Average Base Salary: $146,085'),
(1,  27, 2, 'Machine Learning Engineer Average Base Salary: $146,085'),
(1,  31, 2, 'Machine Learning Engineer Average Base Salary: $146,085'),
(1,  32, 2, 'Machine Learning Engineer Average Base Salary: $146,085'),
-- cloud-architect (2)
(2,  39, 1, 'Cloud Architecture and the Infrastructure Specialization Premium'),
(2,  40, 1, 'Cloud Architecture and the Infrastructure Specialization Premium'),
(2,  28, 1, 'Cloud Architecture and the Infrastructure Specialization Premium'),
(2,  41, 1, 'Cloud Architecture and the Infrastructure Specialization Premium'),
(2,  4,  1, 'Cloud Architecture and the Infrastructure Specialization Premium'),
-- cybersecurity-leader (3)
(3,  62, 1, 'Cybersecurity Leadership and the Risk Management Premium'),
(3,  61, 1, 'Cybersecurity Leadership and the Risk Management Premium'),
(3,  49, 1, 'Cybersecurity Leadership and the Risk Management Premium'),
(3,  50, 1, 'Cybersecurity Leadership and the Risk Management Premium'),
(3,  59, 1, 'Cybersecurity Leadership and the Risk Management Premium'),
-- software-engineer-elite-tech (4)
(4,  24, 1, 'Software Engineering at Elite Technology Companies'),
(4,  25, 1, 'Software Engineering at Elite Technology Companies'),
(4,  62, 1, 'Software Engineering at Elite Technology Companies'),
-- data-science-leader (5)
(5,  12, 1, 'Data Science Leadership and the Analytics Premium'),
(5,  30, 1, 'Data Science Leadership and the Analytics Premium'),
(5,  54, 1, 'Data Science Leadership and the Analytics Premium'),
(5,  62, 1, 'Data Science Leadership and the Analytics Premium'),
-- blockchain-developer (6)
(6,  42, 1, 'Blockchain and Distributed Systems Development'),
(6,  43, 1, 'Blockchain and Distributed Systems Development'),
(6,  28, 1, 'Blockchain and Distributed Systems Development'),
-- devops-engineer (7)
(7,  44, 1, 'DevOps and Platform Engineering as High-Value Infrastructure Roles'),
(7,  45, 1, 'DevOps and Platform Engineering as High-Value Infrastructure Roles'),
(7,  46, 1, 'DevOps and Platform Engineering as High-Value Infrastructure Roles'),
-- platform-engineer (8)
(8,  47, 1, 'DevOps and Platform Engineering as High-Value Infrastructure Roles'),
(8,  51, 1, 'DevOps and Platform Engineering as High-Value Infrastructure Roles'),
(8,  52, 1, 'DevOps and Platform Engineering as High-Value Infrastructure Roles'),
(8,  62, 1, 'DevOps and Platform Engineering as High-Value Infrastructure Roles'),
-- technical-product-manager (9)
(9,  23, 1, 'Technical Product Management in High-Growth Environments'),
(9,  53, 1, 'Technical Product Management in High-Growth Environments'),
(9,  62, 1, 'Technical Product Management in High-Growth Environments'),
(9,  51, 1, 'Technical Product Management in High-Growth Environments'),
(9,  54, 1, 'Technical Product Management in High-Growth Environments'),
(9,  61, 1, 'Technical Product Management in High-Growth Environments'),
-- quantitative-developer-researcher (10)
(10, 12, 1, 'Quantitative Finance and the Intersection of Technology and Capital Markets'),
(10, 30, 1, 'Quantitative Finance and the Intersection of Technology and Capital Markets'),
(10, 19, 1, 'Quantitative Finance and the Intersection of Technology and Capital Markets'),
(10, 29, 1, 'Quantitative Finance and the Intersection of Technology and Capital Markets'),
(10, 27, 1, 'Quantitative Finance and the Intersection of Technology and Capital Markets'),
-- sales-engineer (11)
(11, 55, 1, 'Technology Sales Engineering and Customer-Facing Technical Roles'),
(11, 62, 1, 'Technology Sales Engineering and Customer-Facing Technical Roles'),
-- technology-founder (12)
(12, 56, 1, 'Technology Entrepreneurship and the Equity Opportunity'),
(12, 61, 1, 'Technology Entrepreneurship and the Equity Opportunity'),
-- machine-learning-architect (18)
(18, 30, 2, 'Machine Learning Architect Average Base Salary: $140,245'),
(18, 32, 2, 'Machine Learning Architect Average Base Salary: $140,245'),
(18, 62, 2, 'Machine Learning Architect Average Base Salary: $140,245'),
(18, 57, 2, 'Machine Learning Architect Average Base Salary: $140,245'),
-- ai-research-scientist (19)
(19, 1,  2, 'AI Research Scientist Average Base Salary: $136,245'),
(19, 6,  2, 'AI Research Scientist Average Base Salary: $136,245'),
(19, 21, 2, 'AI Research Scientist Average Base Salary: $136,245'),
(19, 26, 2, 'AI Research Scientist Average Base Salary: $136,245'),
(19, 63, 2, 'AI Research Scientist Average Base Salary: $136,245'),
-- data-science-manager (20)
(20, 60, 2, 'Data Science Manager Average Base Salary: $135,091'),
(20, 57, 2, 'Data Science Manager Average Base Salary: $135,091'),
(20, 58, 2, 'Data Science Manager Average Base Salary: $135,091'),
(20, 62, 2, 'Data Science Manager Average Base Salary: $135,091'),
(20, 55, 2, 'Data Science Manager Average Base Salary: $135,091'),
-- machine-learning-manager (21)
(21, 62, 2, 'Machine Learning Manager Average Base Salary: $133,537'),
(21, 61, 2, 'Machine Learning Manager Average Base Salary: $133,537'),
(21, 59, 2, 'Machine Learning Manager Average Base Salary: $133,537'),
(21, 57, 2, 'Machine Learning Manager Average Base Salary: $133,537'),
(21, 60, 2, 'Machine Learning Manager Average Base Salary: $133,537');

-- ---------------------------------------------------------------------------
-- industries (ranked as published)
-- ---------------------------------------------------------------------------
INSERT INTO industries (id, slug, name, rank, note, source_id, section) VALUES
(1, 'information-technology', 'Information Technology', 1,
    'Big tech firms lead ML hiring, backed by large research budgets and plentiful data.', 2,
    'Key Industries Hiring Machine Learning Talent'),
(2, 'finance', 'Finance', 2,
    'Investment banks hire ML specialists to build algorithmic trading systems.', 2,
    'Key Industries Hiring Machine Learning Talent'),
(3, 'healthcare', 'Healthcare', 3,
    'Applies AI to the analysis of diagnostic images and to robot-assisted surgery.', 2,
    'Key Industries Hiring Machine Learning Talent'),
(4, 'automotive', 'Automotive', 4,
    'Vehicle makers (the text also names aerospace makers) use ML for collision avoidance and self-driving features.', 2,
    'Key Industries Hiring Machine Learning Talent'),
(5, 'government', 'Government', 5,
    'Public agencies fund advanced analytics and AI-based decision support.', 2,
    'Key Industries Hiring Machine Learning Talent');

-- ---------------------------------------------------------------------------
-- factors (ranked as published)
-- ---------------------------------------------------------------------------
INSERT INTO factors (id, slug, name, rank, effect, source_id, section) VALUES
(1, 'location', 'Location', 1,
    'Pay tracks local living costs and the balance of talent supply and demand; US hubs such as Silicon Valley and Seattle pay most.', 2,
    'Factors Impacting Machine Learning Salaries'),
(2, 'education', 'Education', 2,
    'A master''s degree or PhD gives leverage to negotiate higher pay.', 2,
    'Factors Impacting Machine Learning Salaries'),
(3, 'experience', 'Experience', 3,
    'Pay rises in step with years of work experience.', 2,
    'Factors Impacting Machine Learning Salaries'),
(4, 'industry', 'Industry', 4,
    'Sector matters a great deal; quant hedge funds and top tech firms pay exceptional performers very highly.', 2,
    'Factors Impacting Machine Learning Salaries'),
(5, 'company-stage', 'Company Stage', 5,
    'Startups tend to offer lower base pay in exchange for possible equity gains.', 2,
    'Factors Impacting Machine Learning Salaries');

-- ---------------------------------------------------------------------------
-- facts (stated figures that are neither salaries nor skill shares)
-- ---------------------------------------------------------------------------
INSERT INTO facts (id, subject, statement, value, unit, year, source_id, section) VALUES
(1, 'World Economic Forum job forecast',
    'The article cites a World Economic Forum forecast that machine learning may add 58 million jobs on net by 2025.',
    58000000, 'jobs', 2025, 2, 'Machine Learning Job Market Outlook');

-- ---------------------------------------------------------------------------
-- data_notes: defects found in the sources and how they were handled
-- ---------------------------------------------------------------------------
INSERT INTO data_notes (id, source_id, section, defect, found, action) VALUES
(1, 2, 'Highest Paying Machine Learning Jobs', 'malformed_figure',
    'Rank 5 (Machine Learning Manager) shows the salary as "$133,alpha", which is not a number.',
    'The list value is not converted. The salary 133537 is stored from the role''s section heading, which states $133,537 cleanly.'),
(2, 2, 'The Most In-Demand Machine Learning Skills', 'missing_rank',
    'The ranked skills list goes from 8 (Kubernetes) straight to 10 (Java); there is no item 9.',
    'Ranks are kept as published (1-8, 10-17); no ninth skill is invented and nothing is renumbered.'),
(3, 2, 'Highest Paying Machine Learning Jobs', 'missing_text',
    'The method sentence reads "on sites like and Glassdoor": a site name is missing before "and".',
    'Nothing is stored from this sentence; the salary sources are not recorded beyond the article itself.'),
(4, 2, 'Machine Learning Manager Average Base Salary: $133,537', 'inconsistent_name',
    'The list and heading say Machine Learning Manager, while the body describes machine learning engineering managers.',
    'Treated as one role, slug machine-learning-manager, titled as in the list; the summary mentions the alternative name.'),
(5, 1, 'Exploring the Most Lucrative Careers in Technology', 'other',
    'The overview gives no salary or other numeric figures for any career it describes.',
    'No salaries are stored from it; pay for roles found only in the overview stays NULL rather than being estimated.'),
(6, 1, 'Exploring the Most Lucrative Careers in Technology', 'other',
    'The overview states no publication date or year.',
    'sources.year is NULL for the overview.'),
(7, 2, 'AI Research Scientist Average Base Salary: $136,245', 'ambiguous_figure',
    'Doctors and lawyers are said to earn on average "less than $100k": an upper bound given as a comparison, with no source, year or geography.',
    'Stored with role_id NULL, bound below, statistic average; never used as a point value or as role pay.'),
(8, 2, 'Machine Learning Engineer Average Base Salary: $146,085', 'ambiguous_figure',
    'Senior ML engineers at elite firms are said to earn "$250,000+" in total compensation, an open-ended amount.',
    'Stored as kind total, statistic minimum, bound at_least; it does not feed role pay.'),
(9, 2, 'Introduction', 'ambiguous_figure',
    'The author says "thousands" of job listings were analysed and experts consulted, without giving any count or date range.',
    'No sample size is recorded; the salary figures are stored as stated.'),
(10, 2, 'The Most In-Demand Machine Learning Skills', 'ambiguous_figure',
    'The skills ranking is said to come from "thousands" of job descriptions, with no count and no frequencies per skill.',
    'Only the published ranks are stored; no counts are inferred.'),
(11, 2, 'The Most In-Demand Machine Learning Skills', 'ambiguous_figure',
    'The 41% is given for "combined AWS and cloud skills"; it is unclear whether Azure/Google Cloud (rank 12) is included, and the listing base is not stated.',
    'Stored once, as a listing share of the AWS/Cloud skill, with the wording kept in the scope.'),
(12, 2, 'Machine Learning Jobs FAQs', 'ambiguous_figure',
    'Python is said to have "nearly 90%" of ML coding usage, with no base population, survey or date.',
    'Stored as usage_share 90 with qualifier nearly.'),
(13, 2, 'Highest Paying Machine Learning Jobs', 'other',
    'The salary averages have no stated geography, sample size or collection period; only the dollar sign implies the currency.',
    'Stored as USD annual base averages dated to the article year, 2024.'),
(14, 2, 'Introduction', 'ambiguous_figure',
    'The article promises "six-figure" earning potential (also in the tips heading) without a precise figure.',
    'Not stored as a salary; the role pay comes only from the explicit averages.'),
(15, 2, 'Machine Learning Manager Average Base Salary: $133,537', 'other',
    'This section says professionals at technology giants accept lower base pay for equity upside, while the factors section attributes that trade-off to startups.',
    'No figure is stored from it; the Company Stage factor follows the factors section.'),
(16, 2, 'Key Industries Hiring Machine Learning Talent', 'inconsistent_name',
    'The list item is Automotive, but the explanation covers automotive and aerospace manufacturers.',
    'Industry stored as Automotive at rank 4; its note mentions aerospace.'),
(17, 2, 'Machine Learning Job Market Outlook', 'ambiguous_figure',
    'The cited World Economic Forum forecast (58 million net jobs added by 2025) names no report or publication year.',
    'Stored as a fact attributed to the article as stated, not verified.'),
(18, 1, 'Cybersecurity Leadership and the Risk Management Premium', 'ambiguous_figure',
    'Breach costs are described only as running to "hundreds of millions" of dollars at large organisations.',
    'Too vague to be a figure; not stored as a fact.'),
(19, 1, 'Quantitative Finance and the Intersection of Technology and Capital Markets', 'ambiguous_figure',
    'The financial stakes of quant work are given only as "millions or billions" of dollars a year.',
    'Too vague to be a figure; not stored as a fact.'),
(20, 2, 'Introduction', 'other',
    'The article has no title line; it opens directly with its introduction.',
    'The source title Highest Paying Machine Learning Jobs in 2024 was supplied by the data set from the opening question.');

-- ---------------------------------------------------------------------------
-- identities continue after the seed's explicit ids
-- ---------------------------------------------------------------------------
SELECT setval(pg_get_serial_sequence('sources', 'id'), max(id)) FROM sources;
SELECT setval(pg_get_serial_sequence('roles', 'id'), max(id)) FROM roles;
SELECT setval(pg_get_serial_sequence('salaries', 'id'), max(id)) FROM salaries;
SELECT setval(pg_get_serial_sequence('skills', 'id'), max(id)) FROM skills;
SELECT setval(pg_get_serial_sequence('skill_shares', 'id'), max(id)) FROM skill_shares;
SELECT setval(pg_get_serial_sequence('industries', 'id'), max(id)) FROM industries;
SELECT setval(pg_get_serial_sequence('factors', 'id'), max(id)) FROM factors;
SELECT setval(pg_get_serial_sequence('facts', 'id'), max(id)) FROM facts;
SELECT setval(pg_get_serial_sequence('data_notes', 'id'), max(id)) FROM data_notes;
